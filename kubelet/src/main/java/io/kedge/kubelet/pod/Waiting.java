package io.kedge.kubelet.pod;

/** Why a container is not running yet, as its status's waiting state shows it: an upstream reason and a message. */
record Waiting(String reason, String message) {
    static final String CONTAINER_CREATING = "ContainerCreating";
    static final String POD_INITIALIZING = "PodInitializing";
    static final String CRASH_LOOP_BACK_OFF = "CrashLoopBackOff";
    static final String CREATE_CONTAINER_CONFIG_ERROR = "CreateContainerConfigError";
    static final String CREATE_CONTAINER_ERROR = "CreateContainerError";
    static final String RUN_CONTAINER_ERROR = "RunContainerError";
}
