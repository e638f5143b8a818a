package io.kedge.controllers.scheduler;

import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The filters one pod puts every node through, in kube-scheduler's order, which decides the reason
 * a node reports when several would refuse it: unschedulable, node name, taints, node affinity,
 * host ports, resources, topology spread, pod affinity. Built once per scheduling attempt.
 */
final class NodeFilter {
    static final String REASON_UNSCHEDULABLE = "node(s) were unschedulable";
    static final String REASON_NODE_NAME = "node(s) didn't match the requested node name";
    static final String REASON_NODE_AFFINITY = "node(s) didn't match Pod's node affinity/selector";
    static final String REASON_PORTS = "node(s) didn't have free ports for the requested pod ports";
    static final String REASON_TOO_MANY_PODS = "Too many pods";

    final PodInfo pod;
    final List<Toleration> tolerations;
    final NodeAffinity nodeAffinity;
    final TopologySpread spread;
    private final boolean toleratesUnschedulable;
    private final String requestedNode;
    private final InterPodAffinity podAffinity;
    private final boolean filtersPodAffinity;

    /** @throws IllegalArgumentException if the pod's spec cannot be read */
    NodeFilter(PodInfo pod, SchedulerCache cache) {
        PodSpec spec = pod.pod().getSpec();
        this.pod = pod;
        this.tolerations = spec.getTolerations() == null ? List.of() : List.copyOf(spec.getTolerations());
        this.nodeAffinity = NodeAffinity.of(spec);
        this.spread = TopologySpread.of(pod, spec, nodeAffinity, tolerations);
        this.toleratesUnschedulable = Tolerations.tolerated(tolerations, Tolerations.UNSCHEDULABLE);
        this.requestedNode = spec.getNodeName() == null || spec.getNodeName().isEmpty() ? null : spec.getNodeName();
        this.podAffinity = new InterPodAffinity(pod, cache::namespaceLabels);
        this.filtersPodAffinity = InterPodAffinity.filters(pod, cache);
    }

    /** Counts what the filters that look across nodes need; call once before {@link #fits}. */
    void prepare(Collection<NodeInfo> allNodes) {
        if (spread.hasHard()) {
            spread.prepareFilter(allNodes);
        }
        if (filtersPodAffinity) {
            podAffinity.prepareFilter(allNodes);
        }
    }

    InterPodAffinity podAffinity() {
        return podAffinity;
    }

    /** @return true if the pod fits the node; otherwise the node's reasons are added to {@code reasons} */
    boolean fits(NodeInfo n, List<String> reasons) {
        if (n.unschedulable() && !toleratesUnschedulable) {
            return refuse(reasons, REASON_UNSCHEDULABLE);
        }
        if (requestedNode != null && !requestedNode.equals(n.name())) {
            return refuse(reasons, REASON_NODE_NAME);
        }
        Taint taint = Tolerations.firstUntolerated(n.taints(), tolerations);
        if (taint != null) {
            return refuse(reasons, "node(s) had untolerated taint {" + taint.getKey() + ": "
                    + (taint.getValue() == null ? "" : taint.getValue()) + "}");
        }
        if (!nodeAffinity.matches(n.labels(), n.name())) {
            return refuse(reasons, REASON_NODE_AFFINITY);
        }
        if (!portsFree(n)) {
            return refuse(reasons, REASON_PORTS);
        }
        if (!resourcesFit(n, reasons)) {
            return false;
        }
        String why = spread.hasHard() ? spread.filter(n) : null;
        if (why == null && filtersPodAffinity) {
            why = podAffinity.filter(n);
        }
        return why == null || refuse(reasons, why);
    }

    private boolean portsFree(NodeInfo n) {
        for (PodInfo.HostPort wanted : pod.hostPorts()) {
            for (PodInfo.HostPort used : n.usedPorts()) {
                if (wanted.conflictsWith(used)) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Every shortfall is reported, as upstream does: "Insufficient cpu" and "Insufficient memory" together. */
    private boolean resourcesFit(NodeInfo n, List<String> reasons) {
        int before = reasons.size();
        Resources want = pod.requests();
        Resources alloc = n.allocatable();
        Resources used = n.requested();
        if (n.podCount() + 1 > alloc.pods) {
            reasons.add(REASON_TOO_MANY_PODS);
        }
        if (want.milliCpu > 0 && want.milliCpu > alloc.milliCpu - used.milliCpu) {
            reasons.add("Insufficient cpu");
        }
        if (want.memory > 0 && want.memory > alloc.memory - used.memory) {
            reasons.add("Insufficient memory");
        }
        if (want.ephemeralStorage > 0 && want.ephemeralStorage > alloc.ephemeralStorage - used.ephemeralStorage) {
            reasons.add("Insufficient ephemeral-storage");
        }
        if (want.scalar != null) {
            for (Map.Entry<String, Long> e : want.scalar.entrySet()) {
                if (e.getValue() > 0 && e.getValue() > alloc.scalar(e.getKey()) - used.scalar(e.getKey())) {
                    reasons.add("Insufficient " + e.getKey());
                }
            }
        }
        return reasons.size() == before;
    }

    private static boolean refuse(List<String> reasons, String reason) {
        reasons.add(reason);
        return false;
    }
}
