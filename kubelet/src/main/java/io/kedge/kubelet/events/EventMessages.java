package io.kedge.kubelet.events;

import java.time.Duration;

/** The messages of the kubelet's events, worded as upstream's kubelet words them (kubectl users and tools match on them). */
public final class EventMessages {
    private EventMessages() {
    }

    public static String pulling(String image) {
        return "Pulling image \"" + image + "\"";
    }

    public static String pulled(String image, Duration pull, Duration withWaiting, long sizeBytes) {
        return "Successfully pulled image \"" + image + "\" in " + goDuration(pull) + " (" + goDuration(withWaiting)
                + " including waiting). Image size: " + sizeBytes + " bytes.";
    }

    public static String alreadyPresent(String image) {
        return "Container image \"" + image + "\" already present on machine";
    }

    public static String pullFailed(String image, String error) {
        return "Failed to pull image \"" + image + "\": " + error;
    }

    public static String pullBackOff(String image) {
        return "Back-off pulling image \"" + image + "\"";
    }

    /** A container that could not be created or started, or its image not pulled: {@code Error: <why>}. */
    public static String error(String why) {
        return "Error: " + why;
    }

    public static String created(String container) {
        return "Created container: " + container;
    }

    public static String started(String container) {
        return "Started container " + container;
    }

    public static String stopping(String container) {
        return "Stopping container " + container;
    }

    /** Why a running container is stopped by its kubelet; {@code cause} as "failed liveness probe". */
    public static String killed(String container, String cause, boolean willRestart) {
        return "Container " + container + " " + cause + (willRestart ? ", will be restarted" : "");
    }

    public static String crashLoopBackOff(String container, String pod, String namespace, String uid) {
        return "Back-off restarting failed container " + container + " in pod " + pod + "_" + namespace + "(" + uid + ")";
    }

    public static String sandboxChanged() {
        return "Pod sandbox changed, it will be killed and re-created.";
    }

    public static String sandboxFailed(String error) {
        return "Failed to create pod sandbox: " + error;
    }

    public static String mountFailed(String error) {
        return "MountVolume.SetUp failed: " + error;
    }

    public static String startingKubelet() {
        return "Starting kubelet.";
    }

    /** @param condition {@code NodeReady} or {@code NodeNotReady} */
    public static String nodeStatus(String node, String condition) {
        return "Node " + node + " status is now: " + condition;
    }

    /**
     * A duration as Go prints a {@code time.Duration} truncated to milliseconds, which is how
     * upstream's pull timings read: {@code 523ms}, {@code 15.981s}, {@code 1m2.5s}.
     */
    static String goDuration(Duration d) {
        long millis = Math.max(0, d.toMillis());
        if (millis == 0) {
            return "0s";
        }
        if (millis < 1000) {
            return millis + "ms";
        }
        StringBuilder out = new StringBuilder();
        long hours = millis / 3_600_000;
        long minutes = millis / 60_000 % 60;
        if (hours > 0) {
            out.append(hours).append('h');
        }
        if (hours > 0 || minutes > 0) {
            out.append(minutes).append('m');
        }
        out.append(millis / 1000 % 60);
        long fraction = millis % 1000;
        if (fraction > 0) {
            out.append('.').append(String.format("%03d", fraction).replaceAll("0+$", ""));
        }
        return out.append('s').toString();
    }
}
