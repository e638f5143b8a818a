package io.kedge.controllers.disruption;

import static io.kedge.controllers.nodes.Eventually.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetSpecBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.kedge.controllers.framework.ControllerContext;
import io.kedge.controllers.framework.ControllerManager;
import io.kedge.controllers.testing.ComponentClients;
import io.kedge.controllers.testing.HollowNodes;
import io.kedge.controllers.testing.TestServer;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The disruption controller against a real API server, with hollow nodes (a test utility) making
 * pods Ready, and the server's eviction subresource spending what the controller allows.
 */
class DisruptionControllerTest {
    private static final String NODE = "pdb-0";
    private static TestServer server;
    private static KubernetesClient client;
    /** fabric8 would retry a 429 with back-off; the tests want the refusal itself. */
    private static KubernetesClient evictions;
    private static HollowNodes nodes;
    private static ControllerManager manager;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start();
        client = server.client();
        evictions = new KubernetesClientBuilder().withConfig(new ConfigBuilder(client.getConfiguration())
                .withRequestRetryBackoffLimit(0).build()).build();
        nodes = new HollowNodes(client, HollowNodes.Spec.of("pdb", 1)).start();
        manager = new ControllerManager(ComponentClients.controllers(client), "kedge-controllers", "disruption-test",
                List.of(DisruptionController::create),
                ControllerContext.Options.defaults(), () -> { });
        manager.start();
    }

    @AfterAll
    static void stop() {
        manager.close();
        nodes.close();
        evictions.close();
        client.close();
        server.close();
    }

    @Test
    void aBudgetOverAReplicaSetCountsItsReadyPodsAndAllowsTheSurplus() {
        ReplicaSet rs = replicaSetWithReadyPods("count", 3);
        budget("count", b -> b.withMaxUnavailable(new IntOrString(1)));

        PodDisruptionBudget pdb = await("the budget's status", () -> {
            PodDisruptionBudget p = get("count");
            return p.getStatus() != null && Integer.valueOf(3).equals(p.getStatus().getCurrentHealthy()) ? p : null;
        });

        assertThat(pdb.getStatus().getExpectedPods()).as("the ReplicaSet's scale").isEqualTo(3);
        assertThat(pdb.getStatus().getDesiredHealthy()).isEqualTo(2);
        assertThat(pdb.getStatus().getDisruptionsAllowed()).isEqualTo(1);
        assertThat(pdb.getStatus().getObservedGeneration()).isEqualTo(pdb.getMetadata().getGeneration());
        assertThat(allowedCondition(pdb).getReason()).isEqualTo("SufficientPods");
        assertThat(allowedCondition(pdb).getStatus()).isEqualTo("True");

        client.apps().replicaSets().inNamespace("count").withName(rs.getMetadata().getName())
                .edit(r -> { r.getSpec().setReplicas(5); return r; });
        await("the new scale raises the expected pods and takes the surplus away", () -> {
            PodDisruptionBudget p = get("count");
            return p.getStatus().getExpectedPods() == 5 && p.getStatus().getDesiredHealthy() == 4
                    && p.getStatus().getDisruptionsAllowed() == 0 && "InsufficientPods".equals(allowedCondition(p).getReason());
        });
    }

    @Test
    void twoEvictionsRacingForTheOnlyAllowedDisruptionCannotBothPass() throws Exception {
        replicaSetWithReadyPods("race", 3);
        budget("race", b -> b.withMinAvailable(new IntOrString(2)));
        await("one disruption allowed", () -> allowed("race") == 1);
        List<PodDisruptionBudget> seen = new CopyOnWriteArrayList<>();
        try (Watch ignored = client.policy().v1().podDisruptionBudget().inNamespace("race").withName("race").watch(recorder(seen))) {
            CountDownLatch go = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                List<Future<Boolean>> results = new ArrayList<>();
                for (String pod : List.of("race-0", "race-1")) {
                    Callable<Boolean> evict = () -> {
                        go.await();
                        return evictions.pods().inNamespace("race").withName(pod).evict();
                    };
                    results.add(pool.submit(evict));
                }
                go.countDown();
                int passed = 0;
                String evicted = null;
                for (int i = 0; i < results.size(); i++) {
                    if (results.get(i).get(60, TimeUnit.SECONDS)) {
                        passed++;
                        evicted = "race-" + i;
                    }
                }
                assertThat(passed).as("evictions that passed").isEqualTo(1);
                String pod = evicted;
                await("the eviction recorded the pod as disrupted", () -> seen.stream().anyMatch(p -> p.getStatus() != null
                        && p.getStatus().getDisruptedPods() != null && p.getStatus().getDisruptedPods().containsKey(pod)));
            } finally {
                pool.shutdownNow();
            }
        }
        await("the controller sees the pod gone and forgets it", () -> {
            PodDisruptionBudget p = get("race");
            return p.getStatus().getCurrentHealthy() == 2 && p.getStatus().getDisruptionsAllowed() == 0
                    && (p.getStatus().getDisruptedPods() == null || p.getStatus().getDisruptedPods().isEmpty());
        });
        assertThat(evictions.pods().inNamespace("race").withName("race-2").evict()).as("the budget is spent").isFalse();
    }

    @Test
    void aPodRecordedAsDisruptedDoesNotCountAsHealthyUntilItGoes() {
        replicaSetWithReadyPods("record", 2);
        budget("record", b -> b.withMinAvailable(new IntOrString(1)));
        await("one disruption allowed", () -> allowed("record") == 1);

        PodDisruptionBudget pdb = get("record");
        Map<String, String> disrupted = new HashMap<>();
        disrupted.put("record-0", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        pdb.getStatus().setDisruptedPods(disrupted);
        pdb.getStatus().setDisruptionsAllowed(0);
        client.policy().v1().podDisruptionBudget().inNamespace("record").resource(pdb).updateStatus();

        PodDisruptionBudget after = await("the disrupted pod no longer counts", () -> {
            PodDisruptionBudget p = get("record");
            return p.getStatus().getCurrentHealthy() == 1 ? p : null;
        });
        assertThat(after.getStatus().getDisruptedPods()).containsOnlyKeys("record-0");
        assertThat(after.getStatus().getDisruptionsAllowed()).isZero();
    }

    @Test
    void anUnreadyPodMayBeEvictedWithoutSpendingTheBudgetWhenTheRestAreHealthyEnough() {
        replicaSetWithReadyPods("unready", 2);
        Pod stuck = client.pods().inNamespace("unready").resource(pod("unready", "stuck", null, "nowhere")).create();
        stuck.getStatus().setPhase("Running");
        stuck.getStatus().setConditions(List.of(new io.fabric8.kubernetes.api.model.PodConditionBuilder()
                .withType("Ready").withStatus("False").build()));
        client.pods().inNamespace("unready").resource(stuck).updateStatus();
        budget("unready", b -> b.withMinAvailable(new IntOrString(2)));
        await("two healthy of two desired", () -> {
            PodDisruptionBudget p = get("unready");
            return p.getStatus() != null && p.getStatus().getCurrentHealthy() == 2 && p.getStatus().getExpectedPods() == 3;
        });

        assertThat(evictions.pods().inNamespace("unready").withName("unready-0").evict()).as("a healthy pod is guarded").isFalse();
        assertThat(evictions.pods().inNamespace("unready").withName("stuck").evict()).as("the unready pod may go").isTrue();
        assertThat(client.pods().inNamespace("unready").withName("stuck").get().getMetadata().getDeletionTimestamp()).isNotNull();
        PodDisruptionBudget p = get("unready");
        assertThat(p.getStatus().getDisruptedPods() == null || !p.getStatus().getDisruptedPods().containsKey("stuck"))
                .as("no disruption was spent on it").isTrue();
    }

    @Test
    void podsOfAControllerWithoutAKnownScaleMakeTheBudgetAllowNothing() {
        namespace("jobs");
        client.pods().inNamespace("jobs").resource(new PodBuilder(pod("jobs", "worker", null, NODE)).editMetadata()
                .withOwnerReferences(new OwnerReferenceBuilder().withApiVersion("batch/v1").withKind("Job").withName("j")
                        .withUid("00000000-0000-0000-0000-000000000001").withController(true).build())
                .endMetadata().build()).create();
        budget("jobs", b -> b.withMaxUnavailable(new IntOrString(1)));

        PodDisruptionBudget pdb = await("the budget fails safe", () -> {
            PodDisruptionBudget p = get("jobs");
            return p.getStatus() != null && !p.getStatus().getConditions().isEmpty() ? p : null;
        });
        assertThat(allowedCondition(pdb).getReason()).isEqualTo("SyncFailed");
        assertThat(allowedCondition(pdb).getMessage()).contains("worker");
        assertThat(pdb.getStatus().getDisruptionsAllowed()).isZero();
    }

    private static ReplicaSet replicaSetWithReadyPods(String namespace, int count) {
        namespace(namespace);
        ReplicaSet rs = client.apps().replicaSets().inNamespace(namespace).resource(new ReplicaSetBuilder()
                .withNewMetadata().withName(namespace).endMetadata()
                .withNewSpec().withReplicas(count).withNewSelector().addToMatchLabels("app", "web").endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", "web").endMetadata()
                .withNewSpec().addNewContainer().withName("c").withImage("img").endContainer().endSpec().endTemplate()
                .endSpec().build()).create();
        for (int i = 0; i < count; i++) {
            client.pods().inNamespace(namespace).resource(pod(namespace, namespace + "-" + i, rs, NODE)).create();
        }
        await("the pods are ready", () -> client.pods().inNamespace(namespace).withLabel("app", "web").list().getItems().stream()
                .filter(PodSelection::isReady).count() == count);
        return rs;
    }

    private static Pod pod(String namespace, String name, ReplicaSet owner, String node) {
        var meta = new PodBuilder().withNewMetadata().withName(name).withNamespace(namespace).addToLabels("app", "web");
        if (owner != null) {
            meta.addToOwnerReferences(new OwnerReferenceBuilder().withApiVersion("apps/v1").withKind("ReplicaSet")
                    .withName(owner.getMetadata().getName()).withUid(owner.getMetadata().getUid()).withController(true)
                    .withBlockOwnerDeletion(true).build());
        }
        return meta.endMetadata().withNewSpec().withNodeName(node).addNewContainer().withName("c").withImage("img").endContainer()
                .endSpec().build();
    }

    private static void namespace(String name) {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build()).create();
    }

    private static void budget(String namespace, Consumer<PodDisruptionBudgetSpecBuilder> limits) {
        PodDisruptionBudgetSpecBuilder spec = new PodDisruptionBudgetSpecBuilder().withNewSelector()
                .addToMatchLabels("app", "web").endSelector();
        limits.accept(spec);
        client.policy().v1().podDisruptionBudget().inNamespace(namespace).resource(new PodDisruptionBudgetBuilder()
                .withNewMetadata().withName(namespace).endMetadata().withSpec(spec.build()).build()).create();
    }

    private static PodDisruptionBudget get(String namespace) {
        return client.policy().v1().podDisruptionBudget().inNamespace(namespace).withName(namespace).get();
    }

    private static int allowed(String namespace) {
        PodDisruptionBudget p = get(namespace);
        return p.getStatus() == null || p.getStatus().getDisruptionsAllowed() == null ? -1 : p.getStatus().getDisruptionsAllowed();
    }

    private static Condition allowedCondition(PodDisruptionBudget pdb) {
        return pdb.getStatus().getConditions().stream().filter(c -> "DisruptionAllowed".equals(c.getType())).findFirst()
                .orElseThrow(() -> new AssertionError("no DisruptionAllowed condition in " + pdb.getStatus()));
    }

    private static Watcher<PodDisruptionBudget> recorder(List<PodDisruptionBudget> seen) {
        return new Watcher<>() {
            @Override
            public void eventReceived(Action action, PodDisruptionBudget resource) {
                seen.add(resource);
            }

            @Override
            public void onClose(WatcherException cause) {
            }
        };
    }
}
