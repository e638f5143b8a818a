package io.kedge.controllers.workloads;

import static io.kedge.controllers.workloads.WorkloadCluster.NODE;
import static io.kedge.controllers.workloads.WorkloadCluster.NOWHERE;
import static io.kedge.controllers.workloads.WorkloadCluster.await;
import static io.kedge.controllers.workloads.WorkloadCluster.retryOnConflict;
import static io.kedge.controllers.workloads.WorkloadCluster.template;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class DeploymentControllerTest {
    private static WorkloadCluster cluster;

    @BeforeAll
    static void start() throws Exception {
        cluster = WorkloadCluster.start(ReplicaSetController::create, DeploymentController::create);
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    static DeploymentBuilder deployment(String ns, String name, int replicas, String image, String node) {
        return new DeploymentBuilder().withNewMetadata().withName(name).withNamespace(ns).endMetadata()
                .withNewSpec().withReplicas(replicas).withNewSelector().withMatchLabels(Map.of("app", name)).endSelector()
                .withTemplate(template(Map.of("app", name), image, node)).endSpec();
    }

    private static Deployment create(DeploymentBuilder b) {
        Deployment d = b.build();
        return cluster.client.apps().deployments().inNamespace(d.getMetadata().getNamespace()).resource(d).create();
    }

    private static Deployment get(String ns, String name) {
        return cluster.client.apps().deployments().inNamespace(ns).withName(name).get();
    }

    private static void patch(String ns, String name, String mergePatch) {
        retryOnConflict(() -> cluster.client.apps().deployments().inNamespace(ns).withName(name)
                .patch(PatchContext.of(PatchType.JSON_MERGE), mergePatch));
    }

    private static void setImage(String ns, String name, String image) {
        patch(ns, name, "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"app\",\"image\":\"" + image + "\"}]}}}}");
    }

    /** The Deployment's ReplicaSets, oldest revision first. */
    private static List<ReplicaSet> replicaSetsOf(String ns, String name) {
        Deployment d = get(ns, name);
        List<ReplicaSet> owned = new ArrayList<>(cluster.replicaSets(ns).stream().filter(rs -> OwnerRefs.isControlledBy(rs, d)).toList());
        owned.sort(java.util.Comparator.comparingLong(Revisions::of));
        return owned;
    }

    private static String describe(String ns, String name) {
        Deployment d = get(ns, name);
        StringBuilder b = new StringBuilder("generation=" + d.getMetadata().getGeneration() + " status=" + d.getStatus());
        for (ReplicaSet rs : replicaSetsOf(ns, name)) {
            b.append("\n rs ").append(rs.getMetadata().getName()).append(" rev=").append(Revisions.of(rs))
                    .append(" spec=").append(rs.getSpec().getReplicas()).append(" status=").append(rs.getStatus());
        }
        return b + cluster.describePods(ns);
    }

    /** What {@code kubectl rollout status} waits for. */
    private static void awaitRolledOut(String ns, String name) {
        await("deployment " + name + " rolled out", () -> {
            Deployment d = get(ns, name);
            var s = d.getStatus();
            int desired = d.getSpec().getReplicas();
            return s != null && s.getObservedGeneration() != null && d.getMetadata().getGeneration() <= s.getObservedGeneration()
                    && n(s.getUpdatedReplicas()) == desired && n(s.getReplicas()) == n(s.getUpdatedReplicas())
                    && n(s.getAvailableReplicas()) == n(s.getUpdatedReplicas());
        }, () -> describe(ns, name));
    }

    private static int n(Integer i) {
        return i == null ? 0 : i;
    }

    private static DeploymentCondition condition(Deployment d, String type) {
        return DeploymentConditions.get(d.getStatus(), type);
    }

    private static List<String> images(String ns) {
        return cluster.pods(ns).stream().filter(Pods::isActive).map(p -> p.getSpec().getContainers().get(0).getImage()).toList();
    }

    @Test
    void threeReplicasBecomeAvailableWithTheStatusRolloutStatusReads() {
        String ns = cluster.namespace("deploy-basic");
        create(deployment(ns, "web", 3, "busybox:1", NODE));
        awaitRolledOut(ns, "web");

        Deployment d = get(ns, "web");
        assertThat(d.getStatus().getObservedGeneration()).isEqualTo(d.getMetadata().getGeneration());
        assertThat(d.getStatus().getReplicas()).isEqualTo(3);
        assertThat(d.getStatus().getUpdatedReplicas()).isEqualTo(3);
        assertThat(d.getStatus().getReadyReplicas()).isEqualTo(3);
        assertThat(d.getStatus().getAvailableReplicas()).isEqualTo(3);
        assertThat(n(d.getStatus().getUnavailableReplicas())).isZero();
        assertThat(d.getMetadata().getAnnotations()).containsEntry(Revisions.REVISION, "1");

        List<ReplicaSet> sets = replicaSetsOf(ns, "web");
        assertThat(sets).hasSize(1);
        ReplicaSet rs = sets.get(0);
        String hash = rs.getSpec().getTemplate().getMetadata().getLabels().get(TemplateHash.LABEL);
        assertThat(hash).isNotBlank();
        assertThat(rs.getMetadata().getName()).isEqualTo("web-" + hash);
        assertThat(rs.getSpec().getSelector().getMatchLabels()).containsEntry(TemplateHash.LABEL, hash).containsEntry("app", "web");
        assertThat(rs.getMetadata().getAnnotations()).containsEntry(Revisions.REVISION, "1")
                .containsEntry(Revisions.DESIRED_REPLICAS, "3").containsEntry(Revisions.MAX_REPLICAS, "4");
        assertThat(OwnerRefs.controllerOf(rs).getBlockOwnerDeletion()).isTrue();
        assertThat(cluster.pods(ns)).hasSize(3).allSatisfy(p -> assertThat(p.getMetadata().getLabels()).containsEntry(TemplateHash.LABEL, hash));

        DeploymentCondition available = condition(d, DeploymentConditions.AVAILABLE);
        assertThat(available.getStatus()).isEqualTo("True");
        assertThat(available.getReason()).isEqualTo("MinimumReplicasAvailable");
        DeploymentCondition progressing = condition(d, DeploymentConditions.PROGRESSING);
        assertThat(progressing.getStatus()).isEqualTo("True");
        assertThat(progressing.getReason()).isEqualTo("NewReplicaSetAvailable");
        assertThat(progressing.getMessage()).isEqualTo("ReplicaSet \"web-" + hash + "\" has successfully progressed.");
        assertThat(cluster.events(ns, "ScalingReplicaSet", "web")).extracting(e -> e.getMessage())
                .containsExactly("Scaled up replica set web-" + hash + " from 0 to 3");
    }

    @Test
    void imageChangeStaysWithinMaxSurgeAndLeavesTheOldReplicaSetAtZero() {
        String ns = cluster.namespace("deploy-rolling");
        create(deployment(ns, "web", 3, "busybox:1", NODE).editSpec().withNewStrategy().withType("RollingUpdate")
                .withNewRollingUpdate().withMaxSurge(new IntOrString(1)).withMaxUnavailable(new IntOrString(0)).endRollingUpdate()
                .endStrategy().endSpec());
        awaitRolledOut(ns, "web");
        String oldRs = replicaSetsOf(ns, "web").get(0).getMetadata().getName();
        AtomicInteger mostAskedFor = new AtomicInteger();
        SharedIndexInformer<ReplicaSet> watch = cluster.client.apps().replicaSets().inNamespace(ns).inform(new ResourceEventHandler<>() {
            @Override public void onAdd(ReplicaSet rs) { }
            @Override public void onUpdate(ReplicaSet o, ReplicaSet rs) { }
            @Override public void onDelete(ReplicaSet rs, boolean unknown) { }
        });
        watch.addEventHandler(new ResourceEventHandler<>() {
            private void total() {
                mostAskedFor.accumulateAndGet(ReplicaSets.specSum(watch.getStore().list()), Math::max);
            }
            @Override public void onAdd(ReplicaSet rs) { total(); }
            @Override public void onUpdate(ReplicaSet o, ReplicaSet rs) { total(); }
            @Override public void onDelete(ReplicaSet rs, boolean unknown) { total(); }
        });
        try {
            setImage(ns, "web", "busybox:2");
            awaitRolledOut(ns, "web");
            await("the old replica set's pods gone", () -> images(ns).equals(List.of("busybox:2", "busybox:2", "busybox:2")),
                    () -> describe(ns, "web"));
        } finally {
            watch.close();
        }

        assertThat(mostAskedFor.get()).isEqualTo(4);
        List<ReplicaSet> sets = replicaSetsOf(ns, "web");
        assertThat(sets).hasSize(2);
        assertThat(sets.get(0).getMetadata().getName()).isEqualTo(oldRs);
        assertThat(sets.get(0).getSpec().getReplicas()).isZero();
        assertThat(sets.get(1).getSpec().getReplicas()).isEqualTo(3);
        assertThat(get(ns, "web").getMetadata().getAnnotations()).containsEntry(Revisions.REVISION, "2");
        assertThat(cluster.events(ns, "ScalingReplicaSet", "web")).extracting(e -> e.getMessage())
                .contains("Scaled down replica set " + oldRs + " from 3 to 2", "Scaled down replica set " + oldRs + " from 1 to 0");
    }

    @Test
    void recreateRemovesEveryOldPodBeforeCreatingTheNewReplicaSet() {
        String ns = cluster.namespace("deploy-recreate");
        create(deployment(ns, "web", 2, "busybox:1", NODE).editSpec().withNewStrategy().withType("Recreate").endStrategy().endSpec());
        awaitRolledOut(ns, "web");
        String oldUid = replicaSetsOf(ns, "web").get(0).getMetadata().getUid();
        AtomicLong lastOldPodGone = new AtomicLong();
        Map<String, Long> replicaSetCreatedAt = new ConcurrentHashMap<>();
        SharedIndexInformer<Pod> podWatch = cluster.client.pods().inNamespace(ns).inform(new ResourceEventHandler<>() {
            @Override public void onAdd(Pod p) { }
            @Override public void onUpdate(Pod o, Pod p) { }
            @Override public void onDelete(Pod p, boolean unknown) {
                if (oldUid.equals(OwnerRefs.controllerOf(p).getUid())) {
                    lastOldPodGone.accumulateAndGet(Long.parseLong(p.getMetadata().getResourceVersion()), Math::max);
                }
            }
        });
        SharedIndexInformer<ReplicaSet> rsWatch = cluster.client.apps().replicaSets().inNamespace(ns).inform(new ResourceEventHandler<>() {
            @Override public void onAdd(ReplicaSet rs) {
                replicaSetCreatedAt.putIfAbsent(rs.getMetadata().getUid(), Long.parseLong(rs.getMetadata().getResourceVersion()));
            }
            @Override public void onUpdate(ReplicaSet o, ReplicaSet rs) { }
            @Override public void onDelete(ReplicaSet rs, boolean unknown) { }
        });
        try {
            setImage(ns, "web", "busybox:2");
            awaitRolledOut(ns, "web");
            await("both old pods seen gone", () -> lastOldPodGone.get() > 0
                    && cluster.pods(ns).stream().noneMatch(p -> oldUid.equals(OwnerRefs.controllerOf(p).getUid())), () -> describe(ns, "web"));
        } finally {
            podWatch.close();
            rsWatch.close();
        }
        List<ReplicaSet> sets = replicaSetsOf(ns, "web");
        assertThat(sets).hasSize(2);
        ReplicaSet newRs = sets.get(1);
        // resourceVersions are the store's revisions: they order writes across resources
        assertThat(replicaSetCreatedAt.get(newRs.getMetadata().getUid())).isGreaterThan(lastOldPodGone.get());
        assertThat(sets.get(0).getSpec().getReplicas()).isZero();
        assertThat(newRs.getSpec().getReplicas()).isEqualTo(2);
    }

    @Test
    void pauseHoldsTheRolloutAndResumeFinishesIt() {
        String ns = cluster.namespace("deploy-pause");
        create(deployment(ns, "web", 2, "busybox:1", NODE));
        awaitRolledOut(ns, "web");

        patch(ns, "web", "{\"spec\":{\"paused\":true}}");
        setImage(ns, "web", "busybox:2");
        await("the paused template change observed", () -> {
            Deployment d = get(ns, "web");
            return d.getMetadata().getGeneration().equals(d.getStatus().getObservedGeneration());
        }, () -> describe(ns, "web"));
        assertThat(replicaSetsOf(ns, "web")).hasSize(1);
        assertThat(images(ns)).containsOnly("busybox:1");
        assertThat(condition(get(ns, "web"), DeploymentConditions.PROGRESSING).getReason()).isEqualTo("DeploymentPaused");

        patch(ns, "web", "{\"spec\":{\"paused\":false}}");
        awaitRolledOut(ns, "web");
        await("only new pods left", () -> images(ns).equals(List.of("busybox:2", "busybox:2")), () -> describe(ns, "web"));
        assertThat(replicaSetsOf(ns, "web")).hasSize(2);
        assertThat(condition(get(ns, "web"), DeploymentConditions.PROGRESSING).getReason()).isEqualTo("NewReplicaSetAvailable");
    }

    @Test
    void undoToRevisionOneReusesItsReplicaSetUnderANewRevision() {
        String ns = cluster.namespace("deploy-undo");
        create(deployment(ns, "web", 2, "busybox:1", NODE));
        awaitRolledOut(ns, "web");
        setImage(ns, "web", "busybox:2");
        awaitRolledOut(ns, "web");
        ReplicaSet first = replicaSetsOf(ns, "web").get(0);
        assertThat(Revisions.of(first)).isEqualTo(1);

        undoTo(ns, "web", first);

        await("revision 3 rolled out on the first replica set", () -> {
            ReplicaSet rs = cluster.client.apps().replicaSets().inNamespace(ns).withName(first.getMetadata().getName()).get();
            return Revisions.of(rs) == 3 && rs.getSpec().getReplicas() == 2;
        }, () -> describe(ns, "web"));
        awaitRolledOut(ns, "web");
        await("only revision 1's pods left", () -> images(ns).equals(List.of("busybox:1", "busybox:1")), () -> describe(ns, "web"));
        List<ReplicaSet> sets = replicaSetsOf(ns, "web");
        assertThat(sets).hasSize(2);
        assertThat(sets.get(1).getMetadata().getUid()).isEqualTo(first.getMetadata().getUid());
        assertThat(sets.get(1).getMetadata().getAnnotations()).containsEntry(Revisions.REVISION_HISTORY, "1");
        assertThat(sets.get(0).getSpec().getReplicas()).isZero();
        assertThat(get(ns, "web").getMetadata().getAnnotations()).containsEntry(Revisions.REVISION, "3");
    }

    /**
     * What {@code kubectl rollout undo --to-revision} 1.35 sends: one JSON patch that replaces
     * spec.template with the revision's template (without pod-template-hash) and metadata.annotations
     * with the revision's annotations, keeping the Deployment's own revision bookkeeping ones.
     */
    private static void undoTo(String ns, String name, ReplicaSet revision) {
        Deployment d = get(ns, name);
        PodTemplateSpec template = cluster.client.getKubernetesSerialization().clone(revision.getSpec().getTemplate());
        template.getMetadata().getLabels().remove(TemplateHash.LABEL);
        Map<String, String> annotations = new HashMap<>();
        d.getMetadata().getAnnotations().forEach((k, v) -> {
            if (Revisions.NOT_COPIED.contains(k)) {
                annotations.put(k, v);
            }
        });
        revision.getMetadata().getAnnotations().forEach((k, v) -> {
            if (!Revisions.NOT_COPIED.contains(k)) {
                annotations.put(k, v);
            }
        });
        String patch = cluster.client.getKubernetesSerialization().asJson(List.of(
                Map.of("op", "replace", "path", "/spec/template", "value", template),
                Map.of("op", "replace", "path", "/metadata/annotations", "value", annotations)));
        cluster.client.apps().deployments().inNamespace(ns).withName(name).patch(PatchContext.of(PatchType.JSON), patch);
    }

    @Test
    void progressDeadlineExceededWhenPodsNeverBecomeReady() {
        String ns = cluster.namespace("deploy-stuck");
        create(deployment(ns, "web", 1, "busybox:1", NOWHERE).editSpec().withProgressDeadlineSeconds(2).endSpec());
        await("the deadline exceeded", () -> {
            DeploymentCondition c = condition(get(ns, "web"), DeploymentConditions.PROGRESSING);
            return c != null && "ProgressDeadlineExceeded".equals(c.getReason());
        }, () -> describe(ns, "web"));

        Deployment d = get(ns, "web");
        String rs = replicaSetsOf(ns, "web").get(0).getMetadata().getName();
        DeploymentCondition progressing = condition(d, DeploymentConditions.PROGRESSING);
        assertThat(progressing.getStatus()).isEqualTo("False");
        assertThat(progressing.getMessage()).isEqualTo("ReplicaSet \"" + rs + "\" has timed out progressing.");
        DeploymentCondition available = condition(d, DeploymentConditions.AVAILABLE);
        assertThat(available.getStatus()).isEqualTo("False");
        assertThat(available.getReason()).isEqualTo("MinimumReplicasUnavailable");
        assertThat(d.getStatus().getUnavailableReplicas()).isEqualTo(1);
        assertThat(cluster.pods(ns)).hasSize(1).allSatisfy(p -> assertThat(Pods.phase(p)).isNotEqualTo("Running"));
    }

    @Test
    void revisionHistoryLimitDeletesTheOldestReplicaSets() {
        String ns = cluster.namespace("deploy-history");
        create(deployment(ns, "web", 1, "busybox:1", NODE).editSpec().withRevisionHistoryLimit(1).endSpec());
        awaitRolledOut(ns, "web");
        String first = replicaSetsOf(ns, "web").get(0).getMetadata().getName();
        setImage(ns, "web", "busybox:2");
        awaitRolledOut(ns, "web");
        setImage(ns, "web", "busybox:3");
        awaitRolledOut(ns, "web");

        await("revision 1's replica set deleted", () -> replicaSetsOf(ns, "web").size() == 2, () -> describe(ns, "web"));
        List<ReplicaSet> sets = replicaSetsOf(ns, "web");
        assertThat(sets).extracting(rs -> rs.getMetadata().getName()).doesNotContain(first);
        assertThat(sets).extracting(Revisions::of).containsExactly(2L, 3L);
    }

    @Test
    void scalingARolledOutDeploymentResizesItsReplicaSet() {
        String ns = cluster.namespace("deploy-scale");
        create(deployment(ns, "web", 2, "busybox:1", NODE));
        awaitRolledOut(ns, "web");
        String rs = replicaSetsOf(ns, "web").get(0).getMetadata().getName();

        retryOnConflict(() -> cluster.client.apps().deployments().inNamespace(ns).withName("web").scale(4));

        awaitRolledOut(ns, "web");
        assertThat(get(ns, "web").getStatus().getAvailableReplicas()).isEqualTo(4);
        assertThat(replicaSetsOf(ns, "web")).hasSize(1);
        assertThat(cluster.events(ns, "ScalingReplicaSet", "web")).extracting(e -> e.getMessage())
                .contains("Scaled up replica set " + rs + " from 2 to 4");
        Set<String> owners = new java.util.HashSet<>();
        cluster.pods(ns).forEach(p -> owners.add(OwnerRefs.controllerOf(p).getName()));
        assertThat(owners).containsExactly(rs);
    }

    @Test
    void kubectlRolloutCommandsDriveTheControllers() throws Exception {
        Kubectl kubectl = Kubectl.find(cluster.kubeconfig());
        assumeTrue(kubectl != null, "kubectl-1.35 not found under .tools/bin");
        String ns = cluster.namespace("deploy-kubectl");
        Path manifest = Files.createTempFile("kweb", ".yaml");
        Files.writeString(manifest, cluster.client.getKubernetesSerialization().asYaml(
                deployment(ns, "kweb", 2, "busybox:1", "hollow-1").build()));

        expect(kubectl.run("apply", "-f", manifest.toString()), "deployment.apps/kweb created");
        expect(kubectl.run("rollout", "status", "deployment/kweb", "-n", ns, "--timeout=60s"), "deployment \"kweb\" successfully rolled out");
        expect(kubectl.run("set", "image", "deployment/kweb", "app=busybox:2", "-n", ns), "deployment.apps/kweb image updated");
        expect(kubectl.run("rollout", "status", "deployment/kweb", "-n", ns, "--timeout=60s"), "successfully rolled out");
        Kubectl.Result history = kubectl.run("rollout", "history", "deployment/kweb", "-n", ns);
        expect(history, "REVISION");
        assertThat(history.out().lines().map(String::trim).filter(l -> l.matches("\\d+\\s+.*")).map(l -> l.split("\\s+")[0]))
                .containsExactly("1", "2");

        expect(kubectl.run("rollout", "undo", "deployment/kweb", "--to-revision=1", "-n", ns), "deployment.apps/kweb rolled back");
        expect(kubectl.run("rollout", "status", "deployment/kweb", "-n", ns, "--timeout=60s"), "successfully rolled out");
        assertThat(get(ns, "kweb").getSpec().getTemplate().getSpec().getContainers().get(0).getImage()).isEqualTo("busybox:1");
        assertThat(get(ns, "kweb").getMetadata().getAnnotations()).containsEntry(Revisions.REVISION, "3");
        assertThat(replicaSetsOf(ns, "kweb")).hasSize(2);

        expect(kubectl.run("rollout", "restart", "deployment/kweb", "-n", ns), "deployment.apps/kweb restarted");
        expect(kubectl.run("rollout", "status", "deployment/kweb", "-n", ns, "--timeout=60s"), "successfully rolled out");
        assertThat(get(ns, "kweb").getMetadata().getAnnotations()).containsEntry(Revisions.REVISION, "4");

        expect(kubectl.run("rollout", "pause", "deployment/kweb", "-n", ns), "deployment.apps/kweb paused");
        expect(kubectl.run("set", "image", "deployment/kweb", "app=busybox:3", "-n", ns), "image updated");
        Kubectl.Result pausedUndo = kubectl.run("rollout", "undo", "deployment/kweb", "-n", ns);
        assertThat(pausedUndo.exitCode()).isNotZero();
        assertThat(pausedUndo.out()).contains("you cannot rollback a paused deployment");
        expect(kubectl.run("rollout", "resume", "deployment/kweb", "-n", ns), "deployment.apps/kweb resumed");
        expect(kubectl.run("rollout", "status", "deployment/kweb", "-n", ns, "--timeout=60s"), "successfully rolled out");
        assertThat(get(ns, "kweb").getMetadata().getAnnotations()).containsEntry(Revisions.REVISION, "5");

        expect(kubectl.run("scale", "deployment/kweb", "--replicas=3", "-n", ns), "deployment.apps/kweb scaled");
        expect(kubectl.run("rollout", "status", "deployment/kweb", "-n", ns, "--timeout=60s"), "successfully rolled out");
        assertThat(get(ns, "kweb").getStatus().getAvailableReplicas()).isEqualTo(3);
    }

    private static void expect(Kubectl.Result result, String output) {
        assertThat(result.exitCode()).as(result.out()).isZero();
        assertThat(result.out()).contains(output);
    }
}
