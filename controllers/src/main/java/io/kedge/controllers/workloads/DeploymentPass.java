package io.kedge.controllers.workloads;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.kedge.controllers.framework.ControllerContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One reconcile of one Deployment: its current state (replaced by the server's answer after every
 * write, so that later writes in the same pass are not stale), the ReplicaSets it controls, and
 * the writes the pass makes.
 */
final class DeploymentPass {
    final ControllerContext ctx;
    final KubernetesClient client;
    private Deployment deployment;
    private final List<ReplicaSet> replicaSets;

    DeploymentPass(ControllerContext ctx, Deployment deployment, List<ReplicaSet> replicaSets) {
        this.ctx = ctx;
        this.client = ctx.client();
        this.deployment = deployment;
        this.replicaSets = new ArrayList<>(replicaSets);
    }

    Deployment deployment() {
        return deployment;
    }

    /** The controlled ReplicaSets as this pass last wrote or read them. */
    List<ReplicaSet> replicaSets() {
        return List.copyOf(replicaSets);
    }

    <T> T copy(T o) {
        return client.getKubernetesSerialization().clone(o);
    }

    DeploymentStatus statusCopy() {
        return deployment.getStatus() == null ? new DeploymentStatus() : copy(deployment.getStatus());
    }

    void writeStatus(DeploymentStatus status) {
        Deployment d = copy(deployment);
        d.setStatus(status);
        deployment = client.apps().deployments().inNamespace(d.getMetadata().getNamespace()).resource(d).updateStatus();
    }

    /**
     * Records the revision on the Deployment. It is metadata, so it goes through the main resource:
     * not every server keeps metadata written through the status subresource.
     */
    void setRevision(long revision) {
        String value = Long.toString(revision);
        Map<String, String> ann = deployment.getMetadata().getAnnotations();
        if (ann != null && value.equals(ann.get(Revisions.REVISION))) {
            return;
        }
        String patch = client.getKubernetesSerialization().asJson(
                Map.of("metadata", Map.of("annotations", Map.of(Revisions.REVISION, value))));
        deployment = client.apps().deployments().inNamespace(deployment.getMetadata().getNamespace())
                .withName(deployment.getMetadata().getName()).patch(PatchContext.of(PatchType.JSON_MERGE), patch);
    }

    ReplicaSet updateReplicaSet(ReplicaSet rs) {
        ReplicaSet updated = client.apps().replicaSets().inNamespace(rs.getMetadata().getNamespace()).resource(rs).update();
        remember(updated);
        return updated;
    }

    void remember(ReplicaSet rs) {
        replicaSets.removeIf(r -> r.getMetadata().getUid().equals(rs.getMetadata().getUid()));
        replicaSets.add(rs);
    }

    void forget(ReplicaSet rs) {
        replicaSets.removeIf(r -> r.getMetadata().getUid().equals(rs.getMetadata().getUid()));
    }

    void event(String type, String reason, String message) {
        ctx.events().record(deployment, type, reason, message);
    }

    boolean hasProgressDeadline() {
        Integer s = deployment.getSpec().getProgressDeadlineSeconds();
        return s != null && s != Integer.MAX_VALUE;
    }

    String name() {
        return deployment.getMetadata().getNamespace() + "/" + deployment.getMetadata().getName();
    }
}
