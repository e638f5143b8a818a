package io.kedge.controllers.workloads;

import static io.kedge.controllers.workloads.WorkloadCluster.NODE;
import static io.kedge.controllers.workloads.WorkloadCluster.await;
import static io.kedge.controllers.workloads.WorkloadCluster.retryOnConflict;
import static io.kedge.controllers.workloads.WorkloadCluster.template;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.kedge.controllers.framework.ControllerContext;
import io.kedge.controllers.framework.EventRecorder;
import io.kedge.controllers.testing.ComponentClients;
import java.time.Clock;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ReplicaSetControllerTest {
    private static WorkloadCluster cluster;

    @BeforeAll
    static void start() throws Exception {
        cluster = WorkloadCluster.start(ReplicaSetController::create);
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static ReplicaSet replicaSet(String ns, String name, int replicas, String node) {
        return new ReplicaSetBuilder().withNewMetadata().withName(name).withNamespace(ns).endMetadata()
                .withNewSpec().withReplicas(replicas).withNewSelector().withMatchLabels(Map.of("app", name)).endSelector()
                .withTemplate(template(Map.of("app", name), "busybox:1", node)).endSpec().build();
    }

    private static ReplicaSet create(ReplicaSet rs) {
        return cluster.client.apps().replicaSets().inNamespace(rs.getMetadata().getNamespace()).resource(rs).create();
    }

    private static ReplicaSet get(String ns, String name) {
        return cluster.client.apps().replicaSets().inNamespace(ns).withName(name).get();
    }

    private static List<Pod> activePods(String ns) {
        return cluster.pods(ns).stream().filter(Pods::isActive).toList();
    }

    @Test
    void createsOwnedPodsFromTheTemplateAndReportsTheirCounts() {
        String ns = cluster.namespace("rs-basic");
        ReplicaSet rs = create(replicaSet(ns, "web", 3, NODE));
        await("3 available replicas", () -> {
            ReplicaSet now = get(ns, "web");
            return now.getStatus() != null && Integer.valueOf(3).equals(now.getStatus().getAvailableReplicas());
        }, () -> get(ns, "web").getStatus());

        ReplicaSet now = get(ns, "web");
        assertThat(now.getStatus().getReplicas()).isEqualTo(3);
        assertThat(now.getStatus().getFullyLabeledReplicas()).isEqualTo(3);
        assertThat(now.getStatus().getReadyReplicas()).isEqualTo(3);
        assertThat(now.getStatus().getObservedGeneration()).isEqualTo(now.getMetadata().getGeneration());
        List<Pod> pods = cluster.pods(ns);
        assertThat(pods).hasSize(3).allSatisfy(p -> {
            assertThat(p.getMetadata().getName()).startsWith("web-");
            assertThat(p.getMetadata().getLabels()).containsEntry("app", "web");
            OwnerReference ref = OwnerRefs.controllerOf(p);
            assertThat(ref).isNotNull();
            assertThat(ref.getKind()).isEqualTo("ReplicaSet");
            assertThat(ref.getUid()).isEqualTo(rs.getMetadata().getUid());
            assertThat(ref.getBlockOwnerDeletion()).isTrue();
        });
        await("SuccessfulCreate events", () -> cluster.events(ns, "SuccessfulCreate", "web").size() == 3,
                () -> cluster.events(ns, "SuccessfulCreate", "web"));
        assertThat(cluster.events(ns, "SuccessfulCreate", "web")).extracting(e -> e.getMessage())
                .allMatch(m -> m.startsWith("Created pod: web-"));
    }

    @Test
    void replacesADeletedPod() {
        String ns = cluster.namespace("rs-replace");
        create(replicaSet(ns, "web", 2, NODE));
        await("2 ready pods", () -> activePods(ns).stream().filter(Pods::isReady).count() == 2, () -> cluster.describePods(ns));
        String victim = activePods(ns).get(0).getMetadata().getName();

        cluster.client.pods().inNamespace(ns).withName(victim).delete();

        await("a replacement for " + victim, () -> {
            List<Pod> active = activePods(ns);
            return active.size() == 2 && active.stream().noneMatch(p -> p.getMetadata().getName().equals(victim));
        }, () -> cluster.describePods(ns));
        await("2 ready replicas", () -> Integer.valueOf(2).equals(get(ns, "web").getStatus().getReadyReplicas()),
                () -> get(ns, "web").getStatus());
    }

    @Test
    void aBurstOfEventsNeverCreatesMorePodsThanReplicas() throws Exception {
        String ns = cluster.namespace("rs-burst");
        Set<String> everCreated = ConcurrentHashMap.newKeySet();
        try (Watch ignored = cluster.client.pods().inNamespace(ns).watch(new Watcher<>() {
            @Override public void eventReceived(Action action, Pod pod) {
                everCreated.add(pod.getMetadata().getName());
            }
            @Override public void onClose(WatcherException cause) { }
        })) {
            // unscheduled pods: nothing but the controller touches them
            create(replicaSet(ns, "burst", 20, null));
            for (int i = 0; i < 40; i++) {
                String poke = "{\"metadata\":{\"annotations\":{\"poke\":\"" + i + "\"}}}";
                retryOnConflict(() -> cluster.client.apps().replicaSets().inNamespace(ns).withName("burst")
                        .patch(PatchContext.of(PatchType.JSON_MERGE), poke));
            }
            // a spec change makes a pass that runs after every pass the burst caused
            retryOnConflict(() -> cluster.client.apps().replicaSets().inNamespace(ns).withName("burst")
                    .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"replicas\":21}}"));
            await("21 replicas observed", () -> {
                ReplicaSet rs = get(ns, "burst");
                return rs.getStatus() != null && rs.getMetadata().getGeneration().equals(rs.getStatus().getObservedGeneration())
                        && Integer.valueOf(21).equals(rs.getStatus().getReplicas());
            }, () -> get(ns, "burst").getStatus());

            assertThat(cluster.events(ns, "SuccessfulCreate", "burst")).hasSize(21);
            assertThat(cluster.events(ns, "SuccessfulDelete", "burst")).isEmpty();
            assertThat(everCreated).hasSizeLessThanOrEqualTo(21);
            assertThat(cluster.pods(ns)).hasSize(21);
        }
    }

    @Test
    void repeatedPassesOverALaggingCacheCreateAndDeletePodsOnlyOnce() throws Exception {
        String ns = cluster.namespace("rs-lagging");
        String key = ns + "/lagging";
        ReplicaSet rs = replicaSet(ns, "lagging", 3, null);
        // known to no informer but these static ones, so the running controller leaves it alone
        rs.getMetadata().setUid("9d0e6a4c-only-this-test-knows-it");
        rs.getMetadata().setGeneration(1L);
        StaticInformer<ReplicaSet> sets = new StaticInformer<>();
        sets.set(List.of(rs));
        StaticInformer<Pod> cache = new StaticInformer<>();
        Expectations expectations = new Expectations(Clock.systemUTC());
        KubernetesClient asControllers = ComponentClients.controllers(cluster.client);
        ControllerContext ctx = new ControllerContext(asControllers, null,
                new EventRecorder(asControllers, "test", Clock.systemUTC()), Clock.systemUTC(), ControllerContext.Options.defaults());
        ReplicaSetSync sync = new ReplicaSetSync(ctx, sets.informer(), cache.informer(), expectations);

        for (int i = 0; i < 5; i++) {
            sync.reconcile(key);
        }
        assertThat(cluster.pods(ns)).hasSize(3);

        // the cache catches up, and the pod handler reports each creation
        List<Pod> created = cluster.pods(ns);
        cache.set(created);
        created.forEach(p -> expectations.creationObserved(key));
        rs.getSpec().setReplicas(1);
        for (int i = 0; i < 5; i++) {
            sync.reconcile(key);
        }
        assertThat(cluster.pods(ns)).hasSize(1);
        assertThat(expectations.satisfied(key)).isFalse();
    }

    @Test
    void adoptsAMatchingOrphanAndDeletesTheUnscheduledSurplusFirst() {
        String ns = cluster.namespace("rs-adopt");
        create(replicaSet(ns, "web", 2, NODE));
        await("2 ready pods", () -> activePods(ns).stream().filter(Pods::isReady).count() == 2, () -> cluster.describePods(ns));
        List<String> original = activePods(ns).stream().map(p -> p.getMetadata().getName()).toList();

        cluster.client.pods().inNamespace(ns).resource(new PodBuilder().withNewMetadata().withName("orphan")
                .withLabels(Map.of("app", "web")).endMetadata().withNewSpec().addNewContainer().withName("app")
                .withImage("busybox:1").endContainer().endSpec().build()).create();

        await("the adopted orphan deleted as surplus", () -> cluster.events(ns, "SuccessfulDelete", "web").stream()
                .anyMatch(e -> e.getMessage().equals("Deleted pod: orphan")), () -> cluster.describePods(ns));
        await("the orphan gone", () -> cluster.client.pods().inNamespace(ns).withName("orphan").get() == null, () -> cluster.describePods(ns));
        assertThat(activePods(ns)).extracting(p -> p.getMetadata().getName()).containsExactlyInAnyOrderElementsOf(original);
    }

    @Test
    void releasesAPodWhoseLabelsStopMatchingAndReplacesIt() {
        String ns = cluster.namespace("rs-release");
        create(replicaSet(ns, "web", 2, NODE));
        await("2 ready pods", () -> activePods(ns).stream().filter(Pods::isReady).count() == 2, () -> cluster.describePods(ns));
        String relabeled = activePods(ns).get(0).getMetadata().getName();

        retryOnConflict(() -> cluster.client.pods().inNamespace(ns).withName(relabeled).patch(PatchContext.of(PatchType.JSON_MERGE),
                "{\"metadata\":{\"labels\":{\"app\":\"debugging\"}}}"));

        await("the relabeled pod released", () -> OwnerRefs.controllerOf(cluster.client.pods().inNamespace(ns)
                .withName(relabeled).get()) == null, () -> cluster.client.pods().inNamespace(ns).withName(relabeled).get().getMetadata());
        await("2 pods selected again", () -> activePods(ns).stream()
                .filter(p -> "web".equals(p.getMetadata().getLabels().get("app"))).count() == 2, () -> cluster.describePods(ns));
        assertThat(cluster.client.pods().inNamespace(ns).withName(relabeled).get()).isNotNull();
    }

    @Test
    void countsPodsAsAvailableOnlyAfterMinReadySeconds() {
        String ns = cluster.namespace("rs-minready");
        ReplicaSet rs = replicaSet(ns, "web", 2, NODE);
        rs.getSpec().setMinReadySeconds(1);
        create(rs);
        // no pod event follows the pods' first second of readiness: only the controller's own re-check can count them
        await("2 available replicas", () -> Integer.valueOf(2).equals(get(ns, "web").getStatus().getAvailableReplicas()),
                () -> get(ns, "web").getStatus());
        assertThat(get(ns, "web").getStatus().getReadyReplicas()).isEqualTo(2);
    }
}
