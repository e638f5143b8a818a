package io.kedge.controllers.scheduler;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scheduler's view of the cluster: every node with the pods placed on it. Bound pods come from
 * the informer; a pod the scheduler has just chosen a node for is "assumed" on that node at once, so
 * that the next pod sees the room it takes before its binding comes back through the informer.
 *
 * <p>Thread-safe: informer threads feed it, the scheduling thread reads it under the same lock.
 * It can also be filled by hand for measurements without an API server.
 */
public final class SchedulerCache {
    private static final Logger LOG = LoggerFactory.getLogger(SchedulerCache.class);

    private final Map<String, NodeInfo> nodes = new HashMap<>();
    /** The same nodes in a stable order, so that the algorithm can start each search where the last one stopped. */
    private final List<NodeInfo> nodeList = new ArrayList<>();
    private final Map<String, String> nodeOfPod = new HashMap<>();
    private final Set<String> assumed = new HashSet<>();
    private final Map<String, Map<String, String>> namespaceLabels = new HashMap<>();
    private int podsWithRequiredAntiAffinity;

    public synchronized void addOrUpdateNode(Node node) {
        if (node == null || node.getMetadata() == null || node.getMetadata().getName() == null) {
            throw new IllegalArgumentException("node without metadata.name");
        }
        nodeInfoFor(node.getMetadata().getName()).setNode(node);
    }

    public synchronized void removeNode(String name) {
        NodeInfo n = nodes.get(name);
        if (n == null) {
            return;
        }
        n.clearNode();
        if (n.isEmpty()) {
            drop(n);
        }
    }

    /**
     * Records a pod as the informer reports it: on its node while bound and not finished, nowhere
     * otherwise. A pod seen bound is no longer just assumed.
     *
     * @return true if the update took a pod off a node (room freed)
     */
    public synchronized boolean addOrUpdatePod(Pod pod) {
        String uid = uidOf(pod);
        String nodeName = pod.getSpec() == null ? null : pod.getSpec().getNodeName();
        boolean bound = nodeName != null && !nodeName.isEmpty();
        if (!bound) {
            // an assumed pod still shows unbound until its binding comes back: keep the assumption
            return !assumed.contains(uid) && remove(uid);
        }
        if (isTerminal(pod)) {
            assumed.remove(uid);
            return remove(uid);
        }
        PodInfo info;
        try {
            info = PodInfo.of(pod);
        } catch (IllegalArgumentException e) {
            LOG.warn("scheduler cache: ignoring pod {}: {}", uid, e.getMessage());
            return false;
        }
        String before = nodeOfPod.get(uid);
        remove(uid);
        place(info, nodeName);
        assumed.remove(uid);
        return before != null && !before.equals(nodeName);
    }

    /** @return true if the pod was on a node */
    public synchronized boolean removePod(Pod pod) {
        String uid = uidOf(pod);
        assumed.remove(uid);
        return remove(uid);
    }

    /** Places a pod on the node chosen for it, ahead of its binding. */
    public synchronized void assume(Pod pod, String nodeName) {
        PodInfo info = PodInfo.of(pod);
        remove(info.uid());
        place(info, nodeName);
        assumed.add(info.uid());
    }

    /** Takes back an assumption whose binding failed; a pod already confirmed by the informer stays. */
    public synchronized boolean forget(Pod pod) {
        String uid = uidOf(pod);
        return assumed.remove(uid) && remove(uid);
    }

    public synchronized boolean isAssumed(Pod pod) {
        return assumed.contains(uidOf(pod));
    }

    public synchronized void setNamespace(Namespace ns) {
        Map<String, String> labels = ns.getMetadata().getLabels();
        namespaceLabels.put(ns.getMetadata().getName(), labels == null ? Map.of() : Map.copyOf(labels));
    }

    public synchronized void removeNamespace(String name) {
        namespaceLabels.remove(name);
    }

    /** Nodes with a Node object, i.e. the candidates. */
    public synchronized int nodeCount() {
        int n = 0;
        for (NodeInfo i : nodes.values()) {
            if (i.node() != null) {
                n++;
            }
        }
        return n;
    }

    /** The total of what pods on the node request, in millicores; for tests and measurements. */
    public synchronized long requestedMilliCpu(String nodeName) {
        NodeInfo n = nodes.get(nodeName);
        return n == null ? 0 : n.requested().milliCpu;
    }

    public synchronized int podCount(String nodeName) {
        NodeInfo n = nodes.get(nodeName);
        return n == null ? 0 : n.podCount();
    }

    // --- read by the scheduling algorithm while it holds this object's lock ---

    List<NodeInfo> nodeInfos() {
        return nodeList;
    }

    NodeInfo nodeInfo(String name) {
        return nodes.get(name);
    }

    Map<String, String> namespaceLabels(String namespace) {
        return namespaceLabels.getOrDefault(namespace, Map.of());
    }

    boolean anyPodWithRequiredAntiAffinity() {
        return podsWithRequiredAntiAffinity > 0;
    }

    private void place(PodInfo info, String nodeName) {
        nodeInfoFor(nodeName).addPod(info);
        nodeOfPod.put(info.uid(), nodeName);
        if (!info.requiredAntiAffinity().isEmpty()) {
            podsWithRequiredAntiAffinity++;
        }
    }

    private boolean remove(String uid) {
        String nodeName = nodeOfPod.remove(uid);
        if (nodeName == null) {
            return false;
        }
        NodeInfo n = nodes.get(nodeName);
        PodInfo removed = n == null ? null : n.removePod(uid);
        if (removed != null && !removed.requiredAntiAffinity().isEmpty()) {
            podsWithRequiredAntiAffinity--;
        }
        if (n != null && n.isEmpty()) {
            drop(n);
        }
        return removed != null;
    }

    private NodeInfo nodeInfoFor(String name) {
        NodeInfo n = nodes.get(name);
        if (n == null) {
            n = new NodeInfo(name);
            nodes.put(name, n);
            nodeList.add(n);
        }
        return n;
    }

    private void drop(NodeInfo n) {
        nodes.remove(n.name());
        nodeList.remove(n);
    }

    static boolean isTerminal(Pod pod) {
        String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        return "Succeeded".equals(phase) || "Failed".equals(phase);
    }

    static String uidOf(Pod pod) {
        String uid = pod.getMetadata().getUid();
        if (uid != null && !uid.isEmpty()) {
            return uid;
        }
        String ns = pod.getMetadata().getNamespace() == null ? "default" : pod.getMetadata().getNamespace();
        return ns + "/" + pod.getMetadata().getName();
    }
}
