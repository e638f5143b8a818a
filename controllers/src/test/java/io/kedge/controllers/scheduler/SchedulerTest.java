package io.kedge.controllers.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.AffinityBuilder;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraintBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedInformerFactory;
import io.kedge.controllers.framework.ControllerContext;
import io.kedge.controllers.framework.EventRecorder;
import io.kedge.controllers.testing.ComponentClients;
import io.kedge.controllers.testing.HollowNodes;
import io.kedge.controllers.testing.TestServer;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The scheduler against a real kedge API server, with hollow nodes standing in for kubelets. */
class SchedulerTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static TestServer server;
    private static KubernetesClient client;
    private static SharedInformerFactory informers;
    private static Scheduler scheduler;
    private static int namespaces;

    private final List<HollowNodes> hollow = new ArrayList<>();
    private String ns;

    @BeforeAll
    static void startServerAndScheduler() throws Exception {
        server = TestServer.start();
        client = server.client();
        KubernetesClient asScheduler = ComponentClients.scheduler(client);
        informers = asScheduler.informers();
        ControllerContext ctx = new ControllerContext(asScheduler, informers,
                new EventRecorder(asScheduler, "test", Clock.systemUTC()),
                Clock.systemUTC(), ControllerContext.Options.defaults());
        scheduler = Scheduler.build(ctx);
        informers.startAllRegisteredInformers().get();
        scheduler.controller().start();
    }

    @AfterAll
    static void stop() {
        scheduler.controller().close();
        informers.stopAllRegisteredInformers();
        client.close();
        server.close();
    }

    @AfterEach
    void removeNodes() {
        for (HollowNodes h : hollow) {
            h.close();
            h.names().forEach(n -> client.nodes().withName(n).delete());
        }
        await("nodes gone from the scheduler's cache", () -> scheduler.cache().nodeCount() == 0);
    }

    private void nodes(HollowNodes.Spec spec) {
        HollowNodes h = new HollowNodes(client, spec).start();
        hollow.add(h);
        int expected = hollow.stream().mapToInt(x -> x.names().size()).sum();
        await("hollow nodes in the scheduler's cache", () -> scheduler.cache().nodeCount() == expected);
    }

    private void namespace() {
        ns = "sched-" + (++namespaces);
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
    }

    @Test
    void podsBeyondTheNodesCpuStayPendingWithUpstreamConditionAndEvents() {
        namespace();
        nodes(HollowNodes.Spec.of("cpu", 2).withCapacity("1", "4Gi", 110));
        for (int i = 0; i < 3; i++) {
            create(pod("p" + i, "600m").build());
        }
        await("two pods bound", () -> boundPods().size() == 2);
        assertThat(boundPods().values()).doesNotHaveDuplicates();
        Pod pending = pods().stream().filter(p -> p.getSpec().getNodeName() == null).findFirst().orElseThrow();
        String expected = "0/2 nodes are available: 2 Insufficient cpu.";
        await("the PodScheduled condition", () -> expected.equals(scheduledCondition(pending.getMetadata().getName())
                .map(PodCondition::getMessage).orElse(null)));
        PodCondition c = scheduledCondition(pending.getMetadata().getName()).orElseThrow();
        assertThat(c.getStatus()).isEqualTo("False");
        assertThat(c.getReason()).isEqualTo("Unschedulable");
        await("a FailedScheduling event", () -> events(pending.getMetadata().getName()).stream()
                .anyMatch(e -> "FailedScheduling".equals(e.getReason()) && "Warning".equals(e.getType()) && expected.equals(e.getMessage())));
        String boundName = boundPods().keySet().iterator().next();
        await("a Scheduled event", () -> events(boundName).stream().anyMatch(e -> "Scheduled".equals(e.getReason())
                && ("Successfully assigned " + ns + "/" + boundName + " to " + boundPods().get(boundName)).equals(e.getMessage())
                && "default-scheduler".equals(e.getSource().getComponent())));
    }

    @Test
    void armNodeSelectorPlacesPodsOnlyOnArmNodesInAMixedCluster() {
        namespace();
        nodes(HollowNodes.Spec.of("x86", 2));
        nodes(HollowNodes.Spec.of("arm", 2).withLabels(Map.of("kubernetes.io/arch", "arm64")));
        for (int i = 0; i < 6; i++) {
            create(pod("arm-" + i, "100m").editSpec().withNodeSelector(Map.of("kubernetes.io/arch", "arm64")).endSpec().build());
        }
        await("all pods bound", () -> boundPods().size() == 6);
        assertThat(boundPods().values()).allMatch(n -> n.startsWith("arm-"));
    }

    @Test
    void nodesWithUntoleratedTaintsAreAvoided() {
        namespace();
        nodes(HollowNodes.Spec.of("tainted", 2).withTaints(List.of(Fixtures.taint("dedicated", "edge", "NoSchedule"))));
        nodes(HollowNodes.Spec.of("open", 1));
        for (int i = 0; i < 4; i++) {
            create(pod("t-" + i, "100m").build());
        }
        await("all pods bound", () -> boundPods().size() == 4);
        assertThat(boundPods().values()).containsOnly("open-0");
    }

    @Test
    void requiredAntiAffinityPutsOnePodPerNodeAndTheExtraOneWaitsWithTheReason() {
        namespace();
        nodes(HollowNodes.Spec.of("anti", 3));
        for (int i = 0; i < 4; i++) {
            create(pod("web-" + i, "100m").editMetadata().withLabels(Map.of("app", "web")).endMetadata().editSpec()
                    .withAffinity(new AffinityBuilder().withNewPodAntiAffinity().addNewRequiredDuringSchedulingIgnoredDuringExecution()
                            .withNewLabelSelector().addToMatchLabels("app", "web").endLabelSelector()
                            .withTopologyKey("kubernetes.io/hostname").endRequiredDuringSchedulingIgnoredDuringExecution()
                            .endPodAntiAffinity().build()).endSpec().build());
        }
        await("three pods bound", () -> boundPods().size() == 3);
        assertThat(boundPods().values()).containsExactlyInAnyOrder("anti-0", "anti-1", "anti-2");
        String pending = pods().stream().filter(p -> p.getSpec().getNodeName() == null).findFirst().orElseThrow().getMetadata().getName();
        await("the anti-affinity reason", () -> scheduledCondition(pending).map(PodCondition::getMessage)
                .filter("0/3 nodes are available: 3 node(s) didn't match pod anti-affinity rules."::equals).isPresent());
    }

    @Test
    void topologySpreadBalancesPodsAcrossEdgeUnits() {
        namespace();
        nodes(HollowNodes.Spec.of("unit-a", 2).withLabels(Map.of("kedge.io/unit", "a")));
        nodes(HollowNodes.Spec.of("unit-b", 1).withLabels(Map.of("kedge.io/unit", "b")));
        for (int i = 0; i < 6; i++) {
            create(pod("s-" + i, "100m").editMetadata().withLabels(Map.of("app", "spread")).endMetadata().editSpec()
                    .withTopologySpreadConstraints(new TopologySpreadConstraintBuilder().withMaxSkew(1).withTopologyKey("kedge.io/unit")
                            .withWhenUnsatisfiable("DoNotSchedule")
                            .withLabelSelector(new LabelSelectorBuilder().addToMatchLabels("app", "spread").build()).build())
                    .endSpec().build());
        }
        await("all pods bound", () -> boundPods().size() == 6);
        Map<String, Long> perUnit = boundPods().values().stream()
                .collect(Collectors.groupingBy(n -> n.startsWith("unit-a") ? "a" : "b", Collectors.counting()));
        assertThat(perUnit).isEqualTo(Map.of("a", 3L, "b", 3L));
    }

    @Test
    void aPendingPodIsScheduledOnceAFittingNodeAppears() {
        namespace();
        nodes(HollowNodes.Spec.of("little", 1));
        create(pod("big", "8").build());
        await("the pod reported unschedulable", () -> scheduledCondition("big").map(PodCondition::getMessage)
                .filter("0/1 nodes are available: 1 Insufficient cpu."::equals).isPresent());
        nodes(HollowNodes.Spec.of("large", 1).withCapacity("16", "32Gi", 110));
        await("the pod bound to the new node", () -> "large-0".equals(boundPods().get("big")));
    }

    @Test
    void aBurstOfFiftyPodsOnFiveSmallNodesNeverOvercommits() {
        namespace();
        nodes(HollowNodes.Spec.of("small", 5).withCapacity("1", "4Gi", 110));
        for (int i = 0; i < 50; i++) {
            create(pod("burst-" + i, "200m").build());
        }
        await("25 pods bound", () -> boundPods().size() == 25);
        await("25 pods reported unschedulable", () -> pods().stream().filter(p -> p.getSpec().getNodeName() == null)
                .filter(p -> scheduledCondition(p).isPresent()).count() == 25);
        Map<String, Long> perNode = boundPods().values().stream().collect(Collectors.groupingBy(n -> n, Collectors.counting()));
        assertThat(perNode).hasSize(5).allSatisfy((node, count) -> assertThat(count).isEqualTo(5L));
    }

    // --- helpers ---

    private PodBuilder pod(String name, String cpu) {
        return new PodBuilder().withNewMetadata().withName(name).withNamespace(ns).endMetadata()
                .withNewSpec().addNewContainer().withName("c").withImage("busybox")
                .withNewResources().addToRequests("cpu", new Quantity(cpu)).endResources().endContainer().endSpec();
    }

    private void create(Pod p) {
        client.pods().inNamespace(ns).resource(p).create();
    }

    private List<Pod> pods() {
        return client.pods().inNamespace(ns).list().getItems();
    }

    /** Pod name to node name; the last answer is kept for failure messages. */
    private Map<String, String> boundPods() {
        Map<String, String> out = new HashMap<>();
        for (Pod p : pods()) {
            if (p.getSpec().getNodeName() != null) {
                out.put(p.getMetadata().getName(), p.getSpec().getNodeName());
            }
        }
        boundPods = out;
        return out;
    }

    private Optional<PodCondition> scheduledCondition(String name) {
        Pod p = client.pods().inNamespace(ns).withName(name).get();
        return p == null ? Optional.empty() : scheduledCondition(p);
    }

    private static Optional<PodCondition> scheduledCondition(Pod p) {
        if (p.getStatus() == null || p.getStatus().getConditions() == null) {
            return Optional.empty();
        }
        return p.getStatus().getConditions().stream().filter(c -> "PodScheduled".equals(c.getType())).findFirst();
    }

    private List<Event> events(String podName) {
        return client.v1().events().inNamespace(ns).list().getItems().stream()
                .filter(e -> podName.equals(e.getInvolvedObject().getName())).toList();
    }

    private static Map<String, String> boundPods = Map.of();

    private static void await(String what, Supplier<Boolean> condition) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!condition.get()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what + "; pods bound: " + boundPods);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what);
            }
        }
    }
}
