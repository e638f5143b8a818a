package io.kedge.controllers.nodes;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import io.kedge.controllers.nodes.NodeHealthPolicy.Decision;
import io.kedge.controllers.nodes.NodeHealthPolicy.Health;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The taints the node lifecycle controller owns, and the node's taint list once they match a
 * decision. Other taints (an admin's, an edge unit's) are never touched.
 */
public final class NodeTaints {
    public static final String NOT_READY = "node.kubernetes.io/not-ready";
    public static final String UNREACHABLE = "node.kubernetes.io/unreachable";
    public static final String MEMORY_PRESSURE = "node.kubernetes.io/memory-pressure";
    public static final String DISK_PRESSURE = "node.kubernetes.io/disk-pressure";
    public static final String PID_PRESSURE = "node.kubernetes.io/pid-pressure";
    public static final String NETWORK_UNAVAILABLE = "node.kubernetes.io/network-unavailable";
    public static final String UNSCHEDULABLE = "node.kubernetes.io/unschedulable";

    /** NoSchedule taints that mirror a node condition being True. */
    private static final Map<String, String> CONDITION_TAINTS = Map.of(
            NodeConditions.MEMORY_PRESSURE, MEMORY_PRESSURE,
            NodeConditions.DISK_PRESSURE, DISK_PRESSURE,
            NodeConditions.PID_PRESSURE, PID_PRESSURE,
            NodeConditions.NETWORK_UNAVAILABLE, NETWORK_UNAVAILABLE);

    private static final Set<String> MANAGED_NO_SCHEDULE = Set.of(NOT_READY, UNREACHABLE, MEMORY_PRESSURE,
            DISK_PRESSURE, PID_PRESSURE, NETWORK_UNAVAILABLE, UNSCHEDULABLE);
    private static final Set<String> MANAGED_NO_EXECUTE = Set.of(NOT_READY, UNREACHABLE);

    private NodeTaints() {}

    /**
     * The node's taints with the managed ones made to match the decision. Taints that stay keep
     * their timeAdded; new NoExecute taints get {@code now}, from which tolerationSeconds count.
     */
    static List<Taint> reconciled(Node node, Decision decision, Instant now) {
        Set<String> wanted = new LinkedHashSet<>();
        String healthKey = decision.health() == Health.NOT_READY ? NOT_READY
                : decision.health() == Health.UNREACHABLE ? UNREACHABLE : null;
        if (healthKey != null) {
            wanted.add(id(healthKey, Tolerations.NO_SCHEDULE));
            if (decision.evictPods()) {
                wanted.add(id(healthKey, Tolerations.NO_EXECUTE));
            }
        }
        CONDITION_TAINTS.forEach((condition, key) -> {
            if (NodeConditions.is(node, condition, "True")) {
                wanted.add(id(key, Tolerations.NO_SCHEDULE));
            }
        });
        if (node.getSpec() != null && Boolean.TRUE.equals(node.getSpec().getUnschedulable())) {
            wanted.add(id(UNSCHEDULABLE, Tolerations.NO_SCHEDULE));
        }

        List<Taint> out = new ArrayList<>();
        List<Taint> current = node.getSpec() == null || node.getSpec().getTaints() == null
                ? List.of() : node.getSpec().getTaints();
        for (Taint t : current) {
            if (!managed(t) || wanted.remove(id(t.getKey(), t.getEffect()))) {
                out.add(t);
            }
        }
        for (String w : wanted) {
            String[] keyEffect = w.split(":", 2);
            TaintBuilder b = new TaintBuilder().withKey(keyEffect[0]).withEffect(keyEffect[1]);
            if (Tolerations.NO_EXECUTE.equals(keyEffect[1])) {
                b.withTimeAdded(Timestamps.format(now));
            }
            out.add(b.build());
        }
        return out;
    }

    static boolean managed(Taint t) {
        return Tolerations.NO_SCHEDULE.equals(t.getEffect()) && MANAGED_NO_SCHEDULE.contains(t.getKey())
                || Tolerations.NO_EXECUTE.equals(t.getEffect()) && MANAGED_NO_EXECUTE.contains(t.getKey());
    }

    static boolean sameTaints(List<Taint> a, List<Taint> b) {
        List<Taint> x = a == null ? List.of() : a;
        List<Taint> y = b == null ? List.of() : b;
        if (x.size() != y.size()) {
            return false;
        }
        for (int i = 0; i < x.size(); i++) {
            Taint p = x.get(i);
            Taint q = y.get(i);
            if (!Objects.equals(p.getKey(), q.getKey()) || !Objects.equals(p.getEffect(), q.getEffect())
                    || !Objects.equals(p.getValue(), q.getValue()) || !Objects.equals(p.getTimeAdded(), q.getTimeAdded())) {
                return false;
            }
        }
        return true;
    }

    private static String id(String key, String effect) {
        return key + ":" + effect;
    }
}
