package io.kedge.kubelet.events;

/** The reasons of the kubelet's events, spelled as upstream's kubelet spells them. */
public final class EventReasons {
    public static final String PULLING = "Pulling";
    public static final String PULLED = "Pulled";
    /** A failed pull, create or start of a container. */
    public static final String FAILED = "Failed";
    public static final String INSPECT_FAILED = "InspectFailed";
    public static final String ERR_IMAGE_NEVER_PULL = "ErrImageNeverPull";
    /** Both the crash-loop back-off of a container and the back-off of an image pull. */
    public static final String BACK_OFF = "BackOff";
    public static final String CREATED = "Created";
    public static final String STARTED = "Started";
    public static final String KILLING = "Killing";
    public static final String UNHEALTHY = "Unhealthy";
    public static final String FAILED_POST_START_HOOK = "FailedPostStartHook";
    public static final String FAILED_PRE_STOP_HOOK = "FailedPreStopHook";
    public static final String FAILED_MOUNT = "FailedMount";
    public static final String SANDBOX_CHANGED = "SandboxChanged";
    public static final String FAILED_CREATE_POD_SANDBOX = "FailedCreatePodSandBox";
    public static final String STARTING = "Starting";
    public static final String NODE_READY = "NodeReady";
    public static final String NODE_NOT_READY = "NodeNotReady";

    private EventReasons() {
    }
}
