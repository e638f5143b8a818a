package io.kedge.controllers.workloads;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetSpec;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Finds the ReplicaSet whose template is the Deployment's (the "new" one; the rest are "old"), keeps
 * revisions in step (the new one always has the highest, and the Deployment carries it), and
 * creates the new one, named {@code <deployment>-<pod-template-hash>}, when asked to.
 */
final class NewReplicaSets {
    record Split(ReplicaSet newRs, List<ReplicaSet> old) {
        List<ReplicaSet> all() {
            List<ReplicaSet> all = new ArrayList<>(old);
            if (newRs != null) {
                all.add(newRs);
            }
            return all;
        }
    }

    private final TemplateHash hash;

    NewReplicaSets(TemplateHash hash) {
        this.hash = hash;
    }

    Split sync(DeploymentPass p, boolean createIfMissing) {
        Deployment d = p.deployment();
        ReplicaSet existing = p.replicaSets().stream().sorted(ReplicaSets.OLDEST_FIRST)
                .filter(rs -> hash.equalIgnoringHash(rs.getSpec().getTemplate(), d.getSpec().getTemplate()))
                .findFirst().orElse(null);
        List<ReplicaSet> old = p.replicaSets().stream()
                .filter(rs -> existing == null || !rs.getMetadata().getUid().equals(existing.getMetadata().getUid())).toList();
        long newRevision = Revisions.max(old) + 1;
        if (existing != null) {
            return new Split(syncExisting(p, p.copy(existing), newRevision), old);
        }
        if (!createIfMissing) {
            return new Split(null, old);
        }
        return new Split(create(p, old, newRevision), old);
    }

    private ReplicaSet syncExisting(DeploymentPass p, ReplicaSet rs, long newRevision) {
        Deployment d = p.deployment();
        boolean annotationsChanged = Revisions.applyToNewReplicaSet(d, rs, newRevision, true);
        int minReady = d.getSpec().getMinReadySeconds() == null ? 0 : d.getSpec().getMinReadySeconds();
        if (annotationsChanged || ReplicaSets.minReadySeconds(rs) != minReady) {
            rs.getSpec().setMinReadySeconds(minReady);
            // the Deployment takes the revision on the pass this update triggers
            return p.updateReplicaSet(rs);
        }
        p.setRevision(Revisions.of(rs));
        if (p.hasProgressDeadline() && DeploymentConditions.get(p.deployment().getStatus(), DeploymentConditions.PROGRESSING) == null) {
            DeploymentStatus status = p.statusCopy();
            DeploymentConditions.set(status, DeploymentConditions.of(p.ctx.clock(), DeploymentConditions.PROGRESSING, "True",
                    DeploymentConditions.FOUND_NEW_RS, "Found new replica set \"" + rs.getMetadata().getName() + "\""));
            p.writeStatus(status);
        }
        return rs;
    }

    private ReplicaSet create(DeploymentPass p, List<ReplicaSet> old, long newRevision) {
        Deployment d = p.deployment();
        Integer collisions = d.getStatus() == null ? null : d.getStatus().getCollisionCount();
        String templateHash = hash.hash(d.getSpec().getTemplate(), collisions);
        ReplicaSet rs = newReplicaSet(p, templateHash);
        List<ReplicaSet> all = new ArrayList<>(old);
        all.add(rs);
        int replicas = RolloutMath.newReplicaSetReplicas(d, all, rs);
        rs.getSpec().setReplicas(replicas);
        Revisions.applyToNewReplicaSet(d, rs, newRevision, false);
        ReplicaSet created;
        boolean alreadyExisted = false;
        try {
            created = p.client.apps().replicaSets().inNamespace(d.getMetadata().getNamespace()).resource(rs).create();
        } catch (KubernetesClientException e) {
            if (!isAlreadyExists(e)) {
                reportCreateFailure(p, rs, e);
                throw e;
            }
            created = p.client.apps().replicaSets().inNamespace(d.getMetadata().getNamespace())
                    .withName(rs.getMetadata().getName()).get();
            if (created == null || !OwnerRefs.isControlledBy(created, d)
                    || !hash.equalIgnoringHash(d.getSpec().getTemplate(), created.getSpec().getTemplate())) {
                // another template hashed to this name: count the collision, which changes the hash next time
                DeploymentStatus status = p.statusCopy();
                status.setCollisionCount(collisions == null ? 1 : collisions + 1);
                p.writeStatus(status);
                throw e;
            }
            alreadyExisted = true;
        }
        p.remember(created);
        if (!alreadyExisted && replicas > 0) {
            p.event("Normal", "ScalingReplicaSet", "Scaled up replica set " + created.getMetadata().getName() + " from 0 to " + replicas);
        }
        p.setRevision(newRevision);
        if (!alreadyExisted && p.hasProgressDeadline()) {
            DeploymentStatus status = p.statusCopy();
            DeploymentConditions.set(status, DeploymentConditions.of(p.ctx.clock(), DeploymentConditions.PROGRESSING, "True",
                    DeploymentConditions.NEW_RS_CREATED, "Created new replica set \"" + created.getMetadata().getName() + "\""));
            p.writeStatus(status);
        }
        return created;
    }

    private static ReplicaSet newReplicaSet(DeploymentPass p, String templateHash) {
        Deployment d = p.deployment();
        PodTemplateSpec template = p.copy(d.getSpec().getTemplate());
        if (template.getMetadata() == null) {
            template.setMetadata(new ObjectMeta());
        }
        Map<String, String> labels = new LinkedHashMap<>(template.getMetadata().getLabels() == null
                ? Map.of() : template.getMetadata().getLabels());
        labels.put(TemplateHash.LABEL, templateHash);
        template.getMetadata().setLabels(labels);
        LabelSelector selector = p.copy(d.getSpec().getSelector());
        Map<String, String> matchLabels = new LinkedHashMap<>(selector.getMatchLabels() == null ? Map.of() : selector.getMatchLabels());
        matchLabels.put(TemplateHash.LABEL, templateHash);
        selector.setMatchLabels(matchLabels);

        ObjectMeta meta = new ObjectMeta();
        meta.setName(d.getMetadata().getName() + "-" + templateHash);
        meta.setNamespace(d.getMetadata().getNamespace());
        meta.setOwnerReferences(List.of(OwnerRefs.controllerRef(d)));
        meta.setLabels(new LinkedHashMap<>(labels));
        ReplicaSetSpec spec = new ReplicaSetSpec();
        spec.setReplicas(0);
        spec.setMinReadySeconds(d.getSpec().getMinReadySeconds() == null ? 0 : d.getSpec().getMinReadySeconds());
        spec.setSelector(selector);
        spec.setTemplate(template);
        ReplicaSet rs = new ReplicaSet();
        rs.setMetadata(meta);
        rs.setSpec(spec);
        return rs;
    }

    private static void reportCreateFailure(DeploymentPass p, ReplicaSet rs, KubernetesClientException e) {
        String msg = "Failed to create new replica set \"" + rs.getMetadata().getName() + "\": " + PodMaker.message(e);
        if (p.hasProgressDeadline()) {
            DeploymentStatus status = p.statusCopy();
            DeploymentCondition c = DeploymentConditions.of(p.ctx.clock(), DeploymentConditions.PROGRESSING, "False",
                    DeploymentConditions.FAILED_RS_CREATE, msg);
            DeploymentConditions.set(status, c);
            try {
                p.writeStatus(status);
            } catch (KubernetesClientException ignored) {
                // the failure to create is what matters, and it is thrown
            }
        }
        p.event("Warning", DeploymentConditions.FAILED_RS_CREATE, msg);
    }

    private static boolean isAlreadyExists(KubernetesClientException e) {
        return e.getCode() == 409 && e.getStatus() != null && Objects.equals("AlreadyExists", e.getStatus().getReason());
    }
}
