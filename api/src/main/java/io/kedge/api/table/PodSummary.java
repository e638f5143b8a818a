package io.kedge.api.table;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The READY, STATUS and RESTARTS cells of a pod. STATUS is not just the phase: it names what the
 * user would want to know first, such as the init container being waited on, a container's
 * waiting reason (CrashLoopBackOff, ContainerCreating) or termination reason, or Terminating.
 */
record PodSummary(String ready, String status, String restarts) {
    private static final String NODE_LOST = "NodeLost";

    static PodSummary of(JsonNode pod, Instant now) {
        return new Builder(pod).summarize(now);
    }

    private static final class Builder {
        private final JsonNode pod;
        private final JsonNode status;
        private final String phase;
        private String reason;
        private int readyContainers;
        private long restarts;
        private Instant lastRestart;
        // Only sidecar restarts survive into the final count once the pod is initialized.
        private long sidecarRestarts;
        private Instant lastSidecarRestart;

        Builder(JsonNode pod) {
            this.pod = pod;
            this.status = pod.path("status");
            this.phase = Fields.text(status, "phase");
            this.reason = Fields.textOr(phase, status, "reason");
        }

        PodSummary summarize(Instant now) {
            if (conditionWithReason("PodScheduled", "SchedulingGated")) {
                reason = "SchedulingGated";
            }
            Map<String, JsonNode> initSpecs = new HashMap<>();
            int totalContainers = Fields.size(pod, "spec", "containers");
            for (JsonNode c : Fields.list(pod, "spec", "initContainers")) {
                initSpecs.put(Fields.text(c, "name"), c);
                if (isSidecar(c)) {
                    totalContainers++;
                }
            }
            boolean initializing = scanInitContainers(initSpecs);
            if (!initializing || conditionIsTrue("Initialized")) {
                restarts = sidecarRestarts;
                lastRestart = lastSidecarRestart;
                scanAppContainers();
            }
            boolean deleting = Fields.present(pod, "metadata", "deletionTimestamp");
            if (deleting && NODE_LOST.equals(Fields.text(status, "reason"))) {
                reason = "Unknown";
            } else if (deleting && !phase.equals("Succeeded") && !phase.equals("Failed")) {
                reason = "Terminating";
            }
            String restartsCell = Long.toString(restarts);
            if (restarts != 0 && lastRestart != null) {
                restartsCell = restarts + " (" + HumanDuration.since(lastRestart, now) + " ago)";
            }
            return new PodSummary(readyContainers + "/" + totalContainers, reason, restartsCell);
        }

        /** Returns whether the pod is still initializing; sidecars that started count as ready. */
        private boolean scanInitContainers(Map<String, JsonNode> initSpecs) {
            boolean initializing = false;
            List<JsonNode> statuses = Fields.list(status, "initContainerStatuses");
            for (int i = 0; i < statuses.size(); i++) {
                JsonNode cs = statuses.get(i);
                boolean sidecar = isSidecar(initSpecs.get(Fields.text(cs, "name")));
                long count = Fields.number(cs, "restartCount");
                Optional<Instant> finished = Fields.time(cs, "lastState", "terminated", "finishedAt");
                restarts += count;
                lastRestart = later(lastRestart, finished);
                if (sidecar) {
                    sidecarRestarts += count;
                    lastSidecarRestart = later(lastSidecarRestart, finished);
                }
                boolean terminated = Fields.present(cs, "state", "terminated");
                long exitCode = Fields.number(cs, "state", "terminated", "exitCode");
                if (terminated && exitCode == 0) {
                    continue;
                }
                if (sidecar && Fields.bool(cs, "started")) {
                    if (Fields.bool(cs, "ready")) {
                        readyContainers++;
                    }
                    continue;
                }
                initializing = true;
                String waitingReason = Fields.text(cs, "state", "waiting", "reason");
                if (terminated) {
                    reason = "Init:" + terminationReason(cs);
                } else if (!waitingReason.isEmpty() && !waitingReason.equals("PodInitializing")) {
                    reason = "Init:" + waitingReason;
                } else {
                    reason = "Init:" + i + "/" + Fields.size(pod, "spec", "initContainers");
                }
                break;
            }
            return initializing;
        }

        private void scanAppContainers() {
            boolean hasRunning = false;
            String errorReason = "";
            List<JsonNode> statuses = Fields.list(status, "containerStatuses");
            // Walked from the last container so that the first container's state wins.
            for (int i = statuses.size() - 1; i >= 0; i--) {
                JsonNode cs = statuses.get(i);
                restarts += Fields.number(cs, "restartCount");
                lastRestart = later(lastRestart, Fields.time(cs, "lastState", "terminated", "finishedAt"));
                String waitingReason = Fields.text(cs, "state", "waiting", "reason");
                if (!waitingReason.isEmpty()) {
                    reason = waitingReason;
                } else if (Fields.present(cs, "state", "terminated")) {
                    reason = terminationReason(cs);
                    if (Fields.number(cs, "state", "terminated", "exitCode") != 0) {
                        errorReason = reason;
                    }
                } else if (Fields.bool(cs, "ready") && Fields.present(cs, "state", "running")) {
                    hasRunning = true;
                    readyContainers++;
                }
            }
            if (reason.equals("Completed")) {
                if (hasRunning && conditionIsTrue("Ready")) {
                    reason = "Running";
                } else if (!errorReason.isEmpty()) {
                    reason = errorReason;
                } else if (hasRunning) {
                    reason = "NotReady";
                }
            }
        }

        private static String terminationReason(JsonNode containerStatus) {
            JsonNode terminated = Fields.at(containerStatus, "state", "terminated");
            String r = Fields.text(terminated, "reason");
            if (!r.isEmpty()) {
                return r;
            }
            long signal = Fields.number(terminated, "signal");
            return signal != 0 ? "Signal:" + signal : "ExitCode:" + Fields.number(terminated, "exitCode");
        }

        private boolean conditionIsTrue(String type) {
            for (JsonNode c : Fields.list(status, "conditions")) {
                if (type.equals(Fields.text(c, "type"))) {
                    return "True".equals(Fields.text(c, "status"));
                }
            }
            return false;
        }

        private boolean conditionWithReason(String type, String conditionReason) {
            return Fields.list(status, "conditions").stream().anyMatch(c -> type.equals(Fields.text(c, "type"))
                    && conditionReason.equals(Fields.text(c, "reason")));
        }

        /** A restartable init container: it keeps running beside the app containers. */
        private static boolean isSidecar(JsonNode initContainerSpec) {
            return initContainerSpec != null && "Always".equals(Fields.text(initContainerSpec, "restartPolicy"));
        }

        private static Instant later(Instant current, Optional<Instant> candidate) {
            return candidate.filter(c -> current == null || c.isAfter(current)).orElse(current);
        }
    }
}
