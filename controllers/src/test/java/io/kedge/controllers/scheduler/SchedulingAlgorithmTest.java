package io.kedge.controllers.scheduler;

import static io.kedge.controllers.scheduler.Fixtures.bound;
import static io.kedge.controllers.scheduler.Fixtures.node;
import static io.kedge.controllers.scheduler.Fixtures.pod;
import static io.kedge.controllers.scheduler.Fixtures.taint;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.AffinityBuilder;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodAffinityTermBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraintBuilder;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SchedulingAlgorithmTest {
    private final SchedulerCache cache = new SchedulerCache();
    private final SchedulingAlgorithm algorithm = new SchedulingAlgorithm(cache);

    private ScheduleResult scheduleAndAssume(Pod p) {
        ScheduleResult r = algorithm.schedule(p);
        if (r.isScheduled()) {
            cache.assume(p, r.nodeName());
        }
        return r;
    }

    @Test
    void failureMessageCountsEachNodesReasonInUpstreamWordingSorted() {
        for (int i = 0; i < 2; i++) {
            cache.addOrUpdateNode(node("cp-" + i, "4", "8Gi", 110, Map.of(),
                    List.of(taint("node-role.kubernetes.io/control-plane", null, "NoSchedule"))));
            cache.addOrUpdateNode(node("small-" + i, "1", "8Gi", 110, Map.of(), List.of()));
        }
        ScheduleResult r = algorithm.schedule(pod("big", "2").build());
        assertThat(r.isScheduled()).isFalse();
        assertThat(r.message()).isEqualTo("0/4 nodes are available: 2 Insufficient cpu, "
                + "2 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }.");
    }

    @Test
    void nodeSelectorOnArchitecturePlacesPodOnlyOnMatchingNodes() {
        cache.addOrUpdateNode(node("x86-a", Map.of()));
        cache.addOrUpdateNode(node("x86-b", Map.of()));
        cache.addOrUpdateNode(node("arm-a", Map.of("kubernetes.io/arch", "arm64")));
        for (int i = 0; i < 3; i++) {
            Pod p = pod("arm-" + i, "100m").editSpec().withNodeSelector(Map.of("kubernetes.io/arch", "arm64")).endSpec().build();
            assertThat(scheduleAndAssume(p).nodeName()).isEqualTo("arm-a");
        }
        Pod riscv = pod("riscv", null).editSpec().withNodeSelector(Map.of("kubernetes.io/arch", "riscv64")).endSpec().build();
        assertThat(algorithm.schedule(riscv).message())
                .isEqualTo("0/3 nodes are available: 3 node(s) didn't match Pod's node affinity/selector.");
    }

    @Test
    void requiredNodeAffinitySupportsEveryOperator() {
        cache.addOrUpdateNode(node("gen3", Map.of("gen", "3", "disk", "hdd")));
        cache.addOrUpdateNode(node("gen5", Map.of("gen", "5", "disk", "ssd")));
        cache.addOrUpdateNode(node("gen7", Map.of("gen", "7", "gpu", "yes")));
        cache.addOrUpdateNode(node("nogen", Map.of("disk", "ssd")));
        assertThat(algorithm.schedule(requiring(expr("gen", "Gt", "4"), expr("gen", "Lt", "7"))).nodeName()).isEqualTo("gen5");
        assertThat(algorithm.schedule(requiring(expr("gen", "DoesNotExist"))).nodeName()).isEqualTo("nogen");
        assertThat(algorithm.schedule(requiring(expr("gpu", "Exists"))).nodeName()).isEqualTo("gen7");
        assertThat(algorithm.schedule(requiring(expr("disk", "In", "ssd"), expr("gen", "Exists"))).nodeName()).isEqualTo("gen5");
        assertThat(algorithm.schedule(requiring(expr("disk", "NotIn", "ssd"), expr("gen", "Lt", "5"))).nodeName()).isEqualTo("gen3");
    }

    @Test
    void matchFieldsOnNodeNameLooksOnlyAtTheNamedNode() {
        cache.addOrUpdateNode(node("n1", Map.of()));
        cache.addOrUpdateNode(node("n2", "1", "8Gi", 110, Map.of(), List.of()));
        cache.addOrUpdateNode(node("n3", Map.of()));
        Pod p = pod("ds-pod", "2").editSpec().withAffinity(new AffinityBuilder().withNewNodeAffinity()
                .withNewRequiredDuringSchedulingIgnoredDuringExecution().addNewNodeSelectorTerm()
                .addNewMatchField().withKey("metadata.name").withOperator("In").withValues("n2").endMatchField()
                .endNodeSelectorTerm().endRequiredDuringSchedulingIgnoredDuringExecution().endNodeAffinity().build()).endSpec().build();
        assertThat(algorithm.schedule(p).message())
                .isEqualTo("0/3 nodes are available: 1 Insufficient cpu, 2 node(s) didn't satisfy plugin(s) [NodeAffinity].");
    }

    @Test
    void untoleratedTaintsKeepPodsAwayAndTolerationsLetThemIn() {
        cache.addOrUpdateNode(node("edge", "4", "8Gi", 110, Map.of(), List.of(taint("kedge.io/edge", "true", "NoExecute"))));
        Pod plain = pod("plain", null).build();
        assertThat(algorithm.schedule(plain).message())
                .isEqualTo("0/1 nodes are available: 1 node(s) had untolerated taint {kedge.io/edge: true}.");
        Pod tolerant = pod("tolerant", null).editSpec().withTolerations(new TolerationBuilder().withKey("kedge.io/edge")
                .withOperator("Exists").build()).endSpec().build();
        assertThat(algorithm.schedule(tolerant).nodeName()).isEqualTo("edge");
        Pod wrongValue = pod("wrong", null).editSpec().withTolerations(new TolerationBuilder().withKey("kedge.io/edge")
                .withValue("false").withEffect("NoExecute").build()).endSpec().build();
        assertThat(algorithm.schedule(wrongValue).isScheduled()).isFalse();
    }

    @Test
    void preferNoScheduleTaintOnlyLowersTheScore() {
        cache.addOrUpdateNode(node("a-tainted", "4", "8Gi", 110, Map.of(), List.of(taint("spot", "yes", "PreferNoSchedule"))));
        cache.addOrUpdateNode(node("b-clean", Map.of()));
        assertThat(algorithm.schedule(pod("p", null).build()).nodeName()).isEqualTo("b-clean");
        cache.removeNode("b-clean");
        assertThat(algorithm.schedule(pod("p", null).build()).nodeName()).isEqualTo("a-tainted");
    }

    @Test
    void notReadyNodeIsFilteredThroughItsNotReadyTaint() {
        cache.addOrUpdateNode(node("down", "4", "8Gi", 110, Map.of(), List.of(taint("node.kubernetes.io/not-ready", null, "NoSchedule"))));
        assertThat(algorithm.schedule(pod("p", null).build()).message())
                .isEqualTo("0/1 nodes are available: 1 node(s) had untolerated taint {node.kubernetes.io/not-ready: }.");
    }

    @Test
    void cordonedNodeIsSkippedUnlessThePodToleratesTheUnschedulableTaint() {
        var cordoned = node("cordoned", Map.of());
        cordoned.getSpec().setUnschedulable(true);
        cache.addOrUpdateNode(cordoned);
        assertThat(algorithm.schedule(pod("p", null).build()).message())
                .isEqualTo("0/1 nodes are available: 1 node(s) were unschedulable.");
        Pod daemon = pod("d", null).editSpec().withTolerations(new TolerationBuilder().withKey("node.kubernetes.io/unschedulable")
                .withOperator("Exists").withEffect("NoSchedule").build()).endSpec().build();
        assertThat(algorithm.schedule(daemon).nodeName()).isEqualTo("cordoned");
    }

    @Test
    void hostPortsInUseRefuseTheNode() {
        cache.addOrUpdateNode(node("n1", Map.of()));
        cache.addOrUpdatePod(bound(withHostPort(pod("web-1", null).build(), 8080), "n1"));
        assertThat(algorithm.schedule(withHostPort(pod("web-2", null).build(), 8080)).message())
                .isEqualTo("0/1 nodes are available: 1 node(s) didn't have free ports for the requested pod ports.");
        assertThat(algorithm.schedule(withHostPort(pod("other", null).build(), 9090)).nodeName()).isEqualTo("n1");
    }

    @Test
    void podCountAndExtendedResourcesAreLimitsToo() {
        var n = node("gpu", "4", "8Gi", 1, Map.of(), List.of());
        n.getStatus().getAllocatable().put("example.com/gpu", new Quantity("1"));
        cache.addOrUpdateNode(n);
        Pod gpu = pod("trainer", null).editSpec().editFirstContainer().withNewResources()
                .addToRequests("example.com/gpu", new Quantity("2")).endResources().endContainer().endSpec().build();
        assertThat(algorithm.schedule(gpu).message()).isEqualTo("0/1 nodes are available: 1 Insufficient example.com/gpu.");
        cache.addOrUpdatePod(bound(pod("first", null).build(), "gpu"));
        assertThat(algorithm.schedule(pod("second", null).build()).message())
                .isEqualTo("0/1 nodes are available: 1 Too many pods.");
    }

    @Test
    void initContainersCountAtTheirPeakAndSidecarsAddUp() {
        cache.addOrUpdateNode(node("n1", "2", "8Gi", 110, Map.of(), List.of()));
        Pod initHeavy = pod("init", "1").editSpec().addNewInitContainer().withName("setup").withImage("busybox")
                .withNewResources().addToRequests("cpu", new Quantity("3")).endResources().endInitContainer().endSpec().build();
        assertThat(algorithm.schedule(initHeavy).message()).isEqualTo("0/1 nodes are available: 1 Insufficient cpu.");
        Pod sidecar = pod("sidecar", "1500m").editSpec().addNewInitContainer().withName("proxy").withImage("busybox")
                .withRestartPolicy("Always").withNewResources().addToRequests("cpu", new Quantity("1")).endResources()
                .endInitContainer().endSpec().build();
        assertThat(algorithm.schedule(sidecar).isScheduled()).isFalse();
    }

    @Test
    void requiredAntiAffinitySpreadsOnePerNodeAndLeavesTheRestPending() {
        for (int i = 0; i < 3; i++) {
            cache.addOrUpdateNode(node("n" + i, Map.of()));
        }
        java.util.Set<String> used = new java.util.HashSet<>();
        for (int i = 0; i < 3; i++) {
            used.add(scheduleAndAssume(antiAffine("web-" + i)).nodeName());
        }
        assertThat(used).containsExactlyInAnyOrder("n0", "n1", "n2");
        assertThat(algorithm.schedule(antiAffine("web-3")).message())
                .isEqualTo("0/3 nodes are available: 3 node(s) didn't match pod anti-affinity rules.");
    }

    @Test
    void existingPodsAntiAffinityKeepsMatchingPodsAway() {
        cache.addOrUpdateNode(node("n1", Map.of()));
        cache.addOrUpdatePod(bound(antiAffine("loner"), "n1"));
        Pod web = pod("plain-web", null).editMetadata().withLabels(Map.of("app", "web")).endMetadata().build();
        assertThat(algorithm.schedule(web).message())
                .isEqualTo("0/1 nodes are available: 1 node(s) didn't satisfy existing pods anti-affinity rules.");
        assertThat(algorithm.schedule(pod("db", null).build()).nodeName()).isEqualTo("n1");
    }

    @Test
    void requiredPodAffinityLetsTheFirstPodInAndColocatesTheRest() {
        cache.addOrUpdateNode(node("a", Map.of("zone", "z1")));
        cache.addOrUpdateNode(node("b", Map.of("zone", "z2")));
        cache.addOrUpdateNode(node("c", Map.of("zone", "z2")));
        String first = scheduleAndAssume(affine("cache-0")).nodeName();
        String zone = first.equals("a") ? "z1" : "z2";
        for (int i = 1; i < 4; i++) {
            String n = scheduleAndAssume(affine("cache-" + i)).nodeName();
            assertThat(zone.equals("z1") ? n.equals("a") : !n.equals("a")).as("pod %d on %s", i, n).isTrue();
        }
        Pod stranger = pod("stranger", null).editSpec().withAffinity(new AffinityBuilder().withNewPodAffinity()
                .addToRequiredDuringSchedulingIgnoredDuringExecution(term("app", "nothing-like-this", "zone"))
                .endPodAffinity().build()).endSpec().build();
        assertThat(algorithm.schedule(stranger).message())
                .isEqualTo("0/3 nodes are available: 3 node(s) didn't match pod affinity rules.");
    }

    @Test
    void doNotScheduleSpreadKeepsUnitsWithinMaxSkew() {
        cache.addOrUpdateNode(node("big", "4", "8Gi", 110, Map.of("kedge.io/unit", "a"), List.of()));
        cache.addOrUpdateNode(node("small", "1", "8Gi", 110, Map.of("kedge.io/unit", "b"), List.of()));
        Map<String, Integer> perNode = new HashMap<>();
        for (int i = 0; i < 3; i++) {
            perNode.merge(scheduleAndAssume(spread("s-" + i, "DoNotSchedule")).nodeName(), 1, Integer::sum);
        }
        assertThat(perNode).isEqualTo(Map.of("big", 2, "small", 1));
        assertThat(algorithm.schedule(spread("s-3", "DoNotSchedule")).message()).isEqualTo("0/2 nodes are available: "
                + "1 Insufficient cpu, 1 node(s) didn't match pod topology spread constraints.");
    }

    @Test
    void scheduleAnywaySpreadPrefersTheEmptierUnitButNeverRefuses() {
        cache.addOrUpdateNode(node("a1", Map.of("kedge.io/unit", "a")));
        cache.addOrUpdateNode(node("a2", Map.of("kedge.io/unit", "a")));
        cache.addOrUpdateNode(node("b1", Map.of("kedge.io/unit", "b")));
        cache.addOrUpdatePod(bound(spread("old-0", "ScheduleAnyway"), "a1"));
        cache.addOrUpdatePod(bound(spread("old-1", "ScheduleAnyway"), "a2"));
        assertThat(algorithm.schedule(spread("new", "ScheduleAnyway")).nodeName()).isEqualTo("b1");
        Pod missingLabelNodeOnly = spread("x", "ScheduleAnyway");
        cache.removeNode("b1");
        assertThat(algorithm.schedule(missingLabelNodeOnly).isScheduled()).isTrue();
    }

    @Test
    void spreadOverHostnameTreatsEachNodeAsADomain() {
        for (int i = 0; i < 3; i++) {
            cache.addOrUpdateNode(node("h" + i, Map.of()));
        }
        Map<String, Integer> perNode = new HashMap<>();
        for (int i = 0; i < 6; i++) {
            Pod p = spread("h-" + i, "DoNotSchedule");
            p.getSpec().getTopologySpreadConstraints().get(0).setTopologyKey("kubernetes.io/hostname");
            perNode.merge(scheduleAndAssume(p).nodeName(), 1, Integer::sum);
        }
        assertThat(perNode).isEqualTo(Map.of("h0", 2, "h1", 2, "h2", 2));
    }

    @Test
    void preferredNodeAffinityWinsOverAnEmptierNode() {
        cache.addOrUpdateNode(node("busy-ssd", Map.of("disk", "ssd")));
        cache.addOrUpdateNode(node("idle-hdd", Map.of("disk", "hdd")));
        cache.addOrUpdatePod(bound(pod("load", "1").build(), "busy-ssd"));
        Pod p = pod("wants-ssd", null).editSpec().withAffinity(new AffinityBuilder().withNewNodeAffinity()
                .addNewPreferredDuringSchedulingIgnoredDuringExecution().withWeight(50).withNewPreference()
                .addToMatchExpressions(expr("disk", "In", "ssd")).endPreference().endPreferredDuringSchedulingIgnoredDuringExecution()
                .endNodeAffinity().build()).endSpec().build();
        assertThat(algorithm.schedule(p).nodeName()).isEqualTo("busy-ssd");
        assertThat(algorithm.schedule(pod("no-preference", null).build()).nodeName()).isEqualTo("idle-hdd");
    }

    @Test
    void leastAllocatedSpreadsEqualPodsOverEqualNodes() {
        for (int i = 0; i < 3; i++) {
            cache.addOrUpdateNode(node("n" + i, Map.of()));
        }
        for (int i = 0; i < 6; i++) {
            scheduleAndAssume(pod("p" + i, "500m").build());
        }
        assertThat(List.of(cache.podCount("n0"), cache.podCount("n1"), cache.podCount("n2"))).containsOnly(2);
    }

    @Test
    void assumedPodsKeepABurstFromOvercommittingNodes() {
        for (int i = 0; i < 5; i++) {
            cache.addOrUpdateNode(node("small-" + i, "1", "2Gi", 110, Map.of(), List.of()));
        }
        int placed = 0;
        for (int i = 0; i < 50; i++) {
            if (scheduleAndAssume(pod("burst-" + i, "200m").build()).isScheduled()) {
                placed++;
            }
        }
        assertThat(placed).isEqualTo(25);
        for (int i = 0; i < 5; i++) {
            assertThat(cache.requestedMilliCpu("small-" + i)).isEqualTo(1000);
        }
    }

    @Test
    void largeClustersLookAtAShrinkingShareOfNodesLikeUpstream() {
        assertThat(SchedulingAlgorithm.feasibleNodesToFind(50)).isEqualTo(50);
        assertThat(SchedulingAlgorithm.feasibleNodesToFind(150)).isEqualTo(100);
        assertThat(SchedulingAlgorithm.feasibleNodesToFind(1000)).isEqualTo(420);
        assertThat(SchedulingAlgorithm.feasibleNodesToFind(10_000)).isEqualTo(500);
    }

    @Test
    void successiveSearchesStartWhereTheLastStoppedSoEveryNodeGetsUsed() {
        for (int i = 0; i < 200; i++) {
            cache.addOrUpdateNode(node(String.format("n%03d", i), Map.of()));
        }
        for (int i = 0; i < 200; i++) {
            assertThat(scheduleAndAssume(pod("p" + i, "100m").build()).isScheduled()).isTrue();
        }
        for (int i = 0; i < 200; i++) {
            assertThat(cache.podCount(String.format("n%03d", i))).as("pods on n%03d", i).isEqualTo(1);
        }
    }

    @Test
    void forgettingAFailedBindingFreesTheRoomButAConfirmedPodStays() {
        cache.addOrUpdateNode(node("n1", "1", "2Gi", 110, Map.of(), List.of()));
        Pod a = pod("a", "1").build();
        cache.assume(a, "n1");
        assertThat(algorithm.schedule(pod("b", "1").build()).isScheduled()).isFalse();
        cache.forget(a);
        assertThat(cache.requestedMilliCpu("n1")).isZero();
        cache.assume(a, "n1");
        cache.addOrUpdatePod(bound(pod("a", "1").build(), "n1"));
        assertThat(cache.forget(a)).isFalse();
        assertThat(cache.requestedMilliCpu("n1")).isEqualTo(1000);
    }

    @Test
    void finishedPodsFreeTheirRoom() {
        cache.addOrUpdateNode(node("n1", "1", "2Gi", 110, Map.of(), List.of()));
        Pod done = bound(pod("job", "1").build(), "n1");
        cache.addOrUpdatePod(done);
        done.setStatus(new io.fabric8.kubernetes.api.model.PodStatusBuilder().withPhase("Succeeded").build());
        assertThat(cache.addOrUpdatePod(done)).isTrue();
        assertThat(algorithm.schedule(pod("next", "1").build()).nodeName()).isEqualTo("n1");
    }

    @Test
    void noNodesAtAllIsSaidPlainly() {
        assertThat(algorithm.schedule(pod("p", null).build()).message()).isEqualTo("no nodes available to schedule pods");
    }

    @Test
    void malformedSpecIsReportedAsASchedulerErrorNamingTheField() {
        cache.addOrUpdateNode(node("n1", Map.of()));
        Pod p = pod("bad", null).editSpec().withTopologySpreadConstraints(new TopologySpreadConstraintBuilder().withMaxSkew(1)
                .withTopologyKey("zone").withWhenUnsatisfiable("DoNotSchedule").withLabelSelector(new LabelSelectorBuilder()
                        .addNewMatchExpression().withKey("app").withOperator("Like").withValues("x").endMatchExpression().build())
                .build()).endSpec().build();
        ScheduleResult r = algorithm.schedule(p);
        assertThat(r.schedulerError()).isTrue();
        assertThat(r.message()).contains("pod ns/bad topologySpreadConstraints[0]").contains("unknown label selector operator \"Like\"");
        Pod badCpu = pod("bad-cpu", "lots").build();
        assertThat(algorithm.schedule(badCpu).message()).contains("pod ns/bad-cpu").contains("cpu").contains("lots");
    }

    // --- builders ---

    private static NodeSelectorRequirement expr(String key, String op, String... values) {
        return new NodeSelectorRequirement(key, op, List.of(values));
    }

    private static Pod requiring(NodeSelectorRequirement... exprs) {
        return pod("affine", null).editSpec().withAffinity(new AffinityBuilder().withNewNodeAffinity()
                .withNewRequiredDuringSchedulingIgnoredDuringExecution().addNewNodeSelectorTerm().withMatchExpressions(exprs)
                .endNodeSelectorTerm().endRequiredDuringSchedulingIgnoredDuringExecution().endNodeAffinity().build()).endSpec().build();
    }

    private static Pod withHostPort(Pod p, int port) {
        p.getSpec().getContainers().get(0).setPorts(List.of(new io.fabric8.kubernetes.api.model.ContainerPortBuilder()
                .withContainerPort(80).withHostPort(port).build()));
        return p;
    }

    private static io.fabric8.kubernetes.api.model.PodAffinityTerm term(String key, String value, String topologyKey) {
        return new PodAffinityTermBuilder().withNewLabelSelector().addToMatchLabels(key, value).endLabelSelector()
                .withTopologyKey(topologyKey).build();
    }

    private static Pod antiAffine(String name) {
        return pod(name, null).editMetadata().withLabels(Map.of("app", "web")).endMetadata().editSpec()
                .withAffinity(new AffinityBuilder().withNewPodAntiAffinity()
                        .addToRequiredDuringSchedulingIgnoredDuringExecution(term("app", "web", "kubernetes.io/hostname"))
                        .endPodAntiAffinity().build()).endSpec().build();
    }

    private static Pod affine(String name) {
        return pod(name, null).editMetadata().withLabels(Map.of("app", "cache")).endMetadata().editSpec()
                .withAffinity(new AffinityBuilder().withNewPodAffinity()
                        .addToRequiredDuringSchedulingIgnoredDuringExecution(term("app", "cache", "zone"))
                        .endPodAffinity().build()).endSpec().build();
    }

    private static Pod spread(String name, String whenUnsatisfiable) {
        return pod(name, "1").editMetadata().withLabels(Map.of("app", "spread")).endMetadata().editSpec()
                .withTopologySpreadConstraints(new TopologySpreadConstraintBuilder().withMaxSkew(1).withTopologyKey("kedge.io/unit")
                        .withWhenUnsatisfiable(whenUnsatisfiable)
                        .withLabelSelector(new LabelSelectorBuilder().addToMatchLabels("app", "spread").build()).build())
                .endSpec().build();
    }
}
