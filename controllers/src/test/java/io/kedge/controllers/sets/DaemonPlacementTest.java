package io.kedge.controllers.sets;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import io.fabric8.kubernetes.api.model.Toleration;
import io.kedge.controllers.nodes.NodeTaints;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DaemonPlacementTest {
    static Node node(String name, Map<String, String> labels, Taint... taints) {
        return new NodeBuilder().withNewMetadata().withName(name).withLabels(labels).endMetadata()
                .withNewSpec().withTaints(taints).endSpec().build();
    }

    static Taint taint(String key, String effect) {
        return new TaintBuilder().withKey(key).withEffect(effect).build();
    }

    static PodSpec daemonSpec(PodSpec template) {
        PodSpec spec = new PodSpecBuilder(template).build();
        DaemonPlacement.addDefaultTolerations(spec);
        return spec;
    }

    @Test
    void daemonPodsStayOnUnreachableCordonedAndPressuredNodesByTheirDefaultTolerations() {
        PodSpec spec = daemonSpec(new PodSpec());
        Node troubled = node("n", Map.of(), taint(NodeTaints.UNREACHABLE, "NoExecute"), taint(NodeTaints.UNREACHABLE, "NoSchedule"),
                taint(NodeTaints.UNSCHEDULABLE, "NoSchedule"), taint(NodeTaints.DISK_PRESSURE, "NoSchedule"));
        // unreachable:NoSchedule is not among the defaults, as upstream: no new pod, but the old one stays
        assertThat(DaemonPlacement.fit(troubled, spec)).isEqualTo(new DaemonPlacement.Fit(false, true));
        Node cordoned = node("n", Map.of(), taint(NodeTaints.UNSCHEDULABLE, "NoSchedule"), taint(NodeTaints.MEMORY_PRESSURE, "NoSchedule"));
        assertThat(DaemonPlacement.fit(cordoned, spec).shouldRun()).isTrue();
    }

    @Test
    void anyOtherTaintNeedsTheTemplatesOwnToleration() {
        Node edge = node("edge", Map.of(), taint("kedge.io/edge", "NoSchedule"));
        assertThat(DaemonPlacement.fit(edge, daemonSpec(new PodSpec())).shouldRun()).isFalse();
        PodSpec tolerating = new PodSpecBuilder().addNewToleration().withKey("kedge.io/edge").withOperator("Exists").endToleration().build();
        assertThat(DaemonPlacement.fit(edge, daemonSpec(tolerating)).shouldRun()).isTrue();
        Node evicting = node("edge", Map.of(), taint("kedge.io/edge", "NoExecute"));
        assertThat(DaemonPlacement.fit(evicting, daemonSpec(new PodSpec()))).isEqualTo(new DaemonPlacement.Fit(false, false));
    }

    @Test
    void nodeSelectorAndRequiredAffinityChooseTheNodes() {
        PodSpec arm = new PodSpecBuilder().withNodeSelector(Map.of("kubernetes.io/arch", "arm64")).build();
        assertThat(DaemonPlacement.fit(node("a", Map.of("kubernetes.io/arch", "arm64")), daemonSpec(arm)).shouldRun()).isTrue();
        assertThat(DaemonPlacement.fit(node("b", Map.of("kubernetes.io/arch", "amd64")), daemonSpec(arm)).shouldRun()).isFalse();
        PodSpec notB = new PodSpecBuilder().withNewAffinity().withNewNodeAffinity().withNewRequiredDuringSchedulingIgnoredDuringExecution()
                .addNewNodeSelectorTerm().addNewMatchField().withKey("metadata.name").withOperator("NotIn").withValues("b").endMatchField()
                .endNodeSelectorTerm().endRequiredDuringSchedulingIgnoredDuringExecution().endNodeAffinity().endAffinity().build();
        assertThat(DaemonPlacement.fit(node("a", Map.of()), daemonSpec(notB)).shouldRun()).isTrue();
        assertThat(DaemonPlacement.fit(node("b", Map.of()), daemonSpec(notB)).shouldRun()).isFalse();
    }

    @Test
    void aTemplateTolerationOfTheSameKindIsReplacedByTheUnboundedDefault() {
        PodSpec spec = new PodSpecBuilder().addNewToleration().withKey(NodeTaints.NOT_READY).withOperator("Exists")
                .withEffect("NoExecute").withTolerationSeconds(300L).endToleration().build();
        DaemonPlacement.addDefaultTolerations(spec);
        assertThat(spec.getTolerations()).filteredOn(t -> NodeTaints.NOT_READY.equals(t.getKey()))
                .singleElement().extracting(Toleration::getTolerationSeconds).isNull();
        assertThat(spec.getTolerations()).extracting(Toleration::getKey).doesNotContain(NodeTaints.NETWORK_UNAVAILABLE);
    }

    @Test
    void aPinnedPodNamesItsNodeInMatchFieldsAndIsFoundThere() {
        PodSpec spec = new PodSpecBuilder().withNewAffinity().withNewNodeAffinity().withNewRequiredDuringSchedulingIgnoredDuringExecution()
                .addNewNodeSelectorTerm().addNewMatchExpression().withKey("zone").withOperator("In").withValues("a").endMatchExpression()
                .endNodeSelectorTerm().endRequiredDuringSchedulingIgnoredDuringExecution().endNodeAffinity().endAffinity().build();
        DaemonPlacement.pinToNode(spec, "node-7");
        var terms = spec.getAffinity().getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution().getNodeSelectorTerms();
        assertThat(terms).singleElement().satisfies(t -> {
            assertThat(t.getMatchExpressions()).isEmpty();
            assertThat(t.getMatchFields()).singleElement().satisfies(r -> {
                assertThat(r.getKey()).isEqualTo("metadata.name");
                assertThat(r.getValues()).containsExactly("node-7");
            });
        });
        assertThat(DaemonPlacement.targetNode(new PodBuilder().withSpec(spec).build())).isEqualTo("node-7");
    }
}
