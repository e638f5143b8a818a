package io.kedge.controllers.scheduler;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Taint;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One node as the scheduler sees it: its labels, taints and allocatable resources, and the sum of
 * what the pods placed on it (bound or assumed) request. Guarded by the {@link SchedulerCache} lock.
 */
final class NodeInfo {
    private final String name;
    private Node node;
    private Map<String, String> labels = Map.of();
    private List<Taint> taints = List.of();
    private boolean unschedulable;
    private Resources allocatable = new Resources();
    private final Resources requested = new Resources();
    private final Resources nonZeroRequested = new Resources();
    private final Map<String, PodInfo> pods = new LinkedHashMap<>();
    private final List<PodInfo.HostPort> usedPorts = new ArrayList<>();
    private int podsWithAffinity;
    private int podsWithRequiredAntiAffinity;

    NodeInfo(String name) {
        this.name = name;
    }

    void setNode(Node n) {
        this.node = n;
        this.labels = n.getMetadata().getLabels() == null ? Map.of() : Map.copyOf(n.getMetadata().getLabels());
        this.taints = n.getSpec() == null || n.getSpec().getTaints() == null ? List.of() : List.copyOf(n.getSpec().getTaints());
        this.unschedulable = n.getSpec() != null && Boolean.TRUE.equals(n.getSpec().getUnschedulable());
        this.allocatable = n.getStatus() == null ? new Resources()
                : Resources.of(n.getStatus().getAllocatable(), "node " + name + " allocatable");
    }

    /** After the Node object is gone but pods still point at it; such nodes are not candidates. */
    void clearNode() {
        this.node = null;
    }

    void addPod(PodInfo p) {
        pods.put(p.uid(), p);
        account(p, 1);
    }

    PodInfo removePod(String uid) {
        PodInfo p = pods.remove(uid);
        if (p != null) {
            account(p, -1);
        }
        return p;
    }

    private void account(PodInfo p, int sign) {
        requested.add(p.requests(), sign);
        nonZeroRequested.milliCpu += sign * p.nonZeroRequests().milliCpu;
        nonZeroRequested.memory += sign * p.nonZeroRequests().memory;
        if (sign > 0) {
            usedPorts.addAll(p.hostPorts());
        } else {
            p.hostPorts().forEach(usedPorts::remove);
        }
        if (p.hasAffinity()) {
            podsWithAffinity += sign;
        }
        if (!p.requiredAntiAffinity().isEmpty()) {
            podsWithRequiredAntiAffinity += sign;
        }
    }

    String name() { return name; }
    Node node() { return node; }
    Map<String, String> labels() { return labels; }
    List<Taint> taints() { return taints; }
    boolean unschedulable() { return unschedulable; }
    Resources allocatable() { return allocatable; }
    Resources requested() { return requested; }
    Resources nonZeroRequested() { return nonZeroRequested; }
    Collection<PodInfo> pods() { return pods.values(); }
    int podCount() { return pods.size(); }
    List<PodInfo.HostPort> usedPorts() { return usedPorts; }
    boolean hasPodsWithAffinity() { return podsWithAffinity > 0; }
    boolean hasPodsWithRequiredAntiAffinity() { return podsWithRequiredAntiAffinity > 0; }
    boolean isEmpty() { return node == null && pods.isEmpty(); }
}
