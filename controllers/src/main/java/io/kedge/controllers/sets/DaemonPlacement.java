package io.kedge.controllers.sets;

import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.AffinityBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirementBuilder;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.NodeSelectorTermBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.kedge.controllers.nodes.NodeTaints;
import io.kedge.controllers.nodes.Tolerations;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Which nodes a DaemonSet's pods belong on, and how a pod is pinned to its node. A DaemonSet's pods
 * tolerate the taints a node gets from its conditions and from being cordoned, so that node
 * trouble neither keeps them off nor evicts them; any other taint needs the template's own
 * toleration.
 */
final class DaemonPlacement {
    /** shouldRun: a pod belongs here. keep: a pod already here may stay (only NoExecute taints drive it off). */
    record Fit(boolean shouldRun, boolean keep) {}

    private DaemonPlacement() {}

    static Fit fit(Node node, PodSpec daemonPodSpec) {
        String pinned = daemonPodSpec.getNodeName();
        if (pinned != null && !pinned.isEmpty() && !pinned.equals(node.getMetadata().getName())) {
            return new Fit(false, false);
        }
        if (!NodeAffinityMatch.matches(node, daemonPodSpec.getNodeSelector(), daemonPodSpec.getAffinity())) {
            return new Fit(false, false);
        }
        var taints = node.getSpec() == null ? null : node.getSpec().getTaints();
        List<Toleration> tolerations = daemonPodSpec.getTolerations();
        boolean keep = Tolerations.untolerated(tolerations, taints, Tolerations.NO_EXECUTE).isEmpty();
        boolean run = keep && Tolerations.untolerated(tolerations, taints, Tolerations.NO_SCHEDULE).isEmpty();
        return new Fit(run, keep);
    }

    /** Adds the tolerations every DaemonSet pod gets, replacing a template toleration of the same kind. */
    static void addDefaultTolerations(PodSpec spec) {
        List<Toleration> defaults = new ArrayList<>(List.of(
                exists(NodeTaints.NOT_READY, Tolerations.NO_EXECUTE),
                exists(NodeTaints.UNREACHABLE, Tolerations.NO_EXECUTE),
                exists(NodeTaints.DISK_PRESSURE, Tolerations.NO_SCHEDULE),
                exists(NodeTaints.MEMORY_PRESSURE, Tolerations.NO_SCHEDULE),
                exists(NodeTaints.PID_PRESSURE, Tolerations.NO_SCHEDULE),
                exists(NodeTaints.UNSCHEDULABLE, Tolerations.NO_SCHEDULE)));
        if (Boolean.TRUE.equals(spec.getHostNetwork())) {
            defaults.add(exists(NodeTaints.NETWORK_UNAVAILABLE, Tolerations.NO_SCHEDULE));
        }
        List<Toleration> out = new ArrayList<>(spec.getTolerations() == null ? List.of() : spec.getTolerations());
        for (Toleration d : defaults) {
            out.removeIf(t -> sameKind(t, d));
            out.add(d);
        }
        spec.setTolerations(out);
    }

    /**
     * Pins the pod to the node by required node affinity on {@code metadata.name}, which the
     * scheduler honours, replacing the template's required terms (the node was found to satisfy them).
     */
    static void pinToNode(PodSpec spec, String nodeName) {
        NodeSelectorTerm term = new NodeSelectorTermBuilder().withMatchFields(new NodeSelectorRequirementBuilder()
                .withKey(NodeAffinityMatch.NAME_FIELD).withOperator("In").withValues(nodeName).build()).build();
        Affinity affinity = spec.getAffinity() == null ? new Affinity() : spec.getAffinity();
        AffinityBuilder b = new AffinityBuilder(affinity);
        if (affinity.getNodeAffinity() == null) {
            b.withNewNodeAffinity().withNewRequiredDuringSchedulingIgnoredDuringExecution()
                    .withNodeSelectorTerms(term).endRequiredDuringSchedulingIgnoredDuringExecution().endNodeAffinity();
        } else {
            b.editNodeAffinity().withNewRequiredDuringSchedulingIgnoredDuringExecution()
                    .withNodeSelectorTerms(term).endRequiredDuringSchedulingIgnoredDuringExecution().endNodeAffinity();
        }
        spec.setAffinity(b.build());
    }

    /** The node a daemon pod is on, or is pinned to while it waits for the scheduler; null if neither. */
    static String targetNode(Pod pod) {
        if (pod.getSpec() == null) {
            return null;
        }
        if (pod.getSpec().getNodeName() != null && !pod.getSpec().getNodeName().isEmpty()) {
            return pod.getSpec().getNodeName();
        }
        Affinity a = pod.getSpec().getAffinity();
        if (a == null || a.getNodeAffinity() == null || a.getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution() == null) {
            return null;
        }
        for (NodeSelectorTerm term : NodeAffinityMatch.orEmpty(
                a.getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution().getNodeSelectorTerms())) {
            for (NodeSelectorRequirement r : NodeAffinityMatch.orEmpty(term.getMatchFields())) {
                if (NodeAffinityMatch.NAME_FIELD.equals(r.getKey()) && "In".equals(r.getOperator())
                        && r.getValues() != null && r.getValues().size() == 1) {
                    return r.getValues().get(0);
                }
            }
        }
        return null;
    }

    private static Toleration exists(String key, String effect) {
        return new TolerationBuilder().withKey(key).withOperator("Exists").withEffect(effect).build();
    }

    private static boolean sameKind(Toleration a, Toleration b) {
        return Objects.equals(a.getKey(), b.getKey()) && Objects.equals(a.getEffect(), b.getEffect())
                && Objects.equals(a.getOperator(), b.getOperator()) && Objects.equals(a.getValue(), b.getValue());
    }
}
