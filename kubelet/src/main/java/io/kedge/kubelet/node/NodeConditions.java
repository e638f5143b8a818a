package io.kedge.kubelet.node;

import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeConditionBuilder;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;

/**
 * The four conditions the kubelet owns, in upstream's order and words. A condition keeps its
 * {@code lastTransitionTime} while its status stays the same; every write is a heartbeat.
 */
public final class NodeConditions {
    public static final String READY = "Ready";
    static final List<String> TYPES = List.of("MemoryPressure", "DiskPressure", "PIDPressure", READY);

    private NodeConditions() {
    }

    /**
     * @param problems why the node cannot run pods (runtime down, network not ready); empty when it can
     * @param previous the conditions the node has now, for their transition times
     */
    public static List<NodeCondition> of(PressureSignals pressure, List<String> problems, List<NodeCondition> previous, Instant now) {
        String time = now.truncatedTo(ChronoUnit.SECONDS).toString();
        return List.of(
                condition("MemoryPressure", pressure.memory(), pressure.memory() ? "KubeletHasInsufficientMemory" : "KubeletHasSufficientMemory",
                        pressure.memory() ? "kubelet has insufficient memory available" : "kubelet has sufficient memory available",
                        previous, time),
                condition("DiskPressure", pressure.disk(), pressure.disk() ? "KubeletHasDiskPressure" : "KubeletHasNoDiskPressure",
                        pressure.disk() ? "kubelet has disk pressure" : "kubelet has no disk pressure", previous, time),
                condition("PIDPressure", pressure.pid(), pressure.pid() ? "KubeletHasInsufficientPID" : "KubeletHasSufficientPID",
                        pressure.pid() ? "kubelet has insufficient PID available" : "kubelet has sufficient PID available",
                        previous, time),
                condition(READY, problems.isEmpty(), problems.isEmpty() ? "KubeletReady" : "KubeletNotReady",
                        problems.isEmpty() ? "kubelet is posting ready status" : String.join(", ", problems), previous, time));
    }

    private static NodeCondition condition(String type, boolean isTrue, String reason, String message,
                                           List<NodeCondition> previous, String now) {
        String status = isTrue ? "True" : "False";
        String transition = previous == null ? now : previous.stream()
                .filter(c -> type.equals(c.getType()) && status.equals(c.getStatus()) && c.getLastTransitionTime() != null)
                .map(NodeCondition::getLastTransitionTime).findFirst().orElse(now);
        return new NodeConditionBuilder().withType(type).withStatus(status).withReason(reason).withMessage(message)
                .withLastHeartbeatTime(now).withLastTransitionTime(transition).build();
    }

    /** Whether two condition lists say the same, heartbeat times aside. */
    static boolean sameState(List<NodeCondition> a, List<NodeCondition> b) {
        for (String type : TYPES) {
            NodeCondition x = find(a, type);
            NodeCondition y = find(b, type);
            if (x == null || y == null || !Objects.equals(x.getStatus(), y.getStatus()) || !Objects.equals(x.getReason(), y.getReason())
                    || !Objects.equals(x.getMessage(), y.getMessage())) {
                return false;
            }
        }
        return true;
    }

    static NodeCondition find(List<NodeCondition> conditions, String type) {
        return conditions == null ? null : conditions.stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
    }
}
