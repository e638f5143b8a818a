package io.kedge.controllers.sets;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatus;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.kedge.controllers.framework.Controller;
import io.kedge.controllers.framework.ControllerContext;
import io.kedge.controllers.framework.Keys;
import io.kedge.controllers.framework.Reconciler;
import io.kedge.controllers.nodes.Conflicts;
import io.kedge.controllers.framework.Informers;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Runs a StatefulSet's pods under stable names {@code <set>-<ordinal>} (see {@link StatefulSetPlan}
 * for the order), with hostname = pod name and subdomain = serviceName, and rolls template changes
 * out by RollingUpdate with a partition, or OnDelete, tracking the current and update
 * ControllerRevisions in the status.
 *
 * <p>volumeClaimTemplates give each pod its {@code <claim>-<set>-<ordinal>} volume, but the claims
 * themselves are not created: the server does not serve persistentvolumeclaims yet.
 */
public final class StatefulSetController implements Reconciler {
    static final String KIND = "StatefulSet";
    private static final Duration WAIT_FOR_INFORMER = Duration.ofSeconds(1);

    private final ControllerContext ctx;
    private final SharedIndexInformer<StatefulSet> sets;
    private final SharedIndexInformer<Pod> pods;
    private final SharedIndexInformer<ControllerRevision> revisions;
    private final Expectations expectations = new Expectations();

    private StatefulSetController(ControllerContext ctx, SharedIndexInformer<StatefulSet> sets, SharedIndexInformer<Pod> pods,
                                  SharedIndexInformer<ControllerRevision> revisions) {
        this.ctx = ctx;
        this.sets = sets;
        this.pods = pods;
        this.revisions = revisions;
    }

    public static Controller create(ControllerContext ctx) {
        SharedIndexInformer<StatefulSet> sets = Informers.shared(ctx.informers(), StatefulSet.class);
        SharedIndexInformer<Pod> pods = Informers.shared(ctx.informers(), Pod.class);
        SharedIndexInformer<ControllerRevision> revisions = Informers.shared(ctx.informers(), ControllerRevision.class);
        Owned.register(pods);
        Owned.register(revisions);
        StatefulSetController reconciler = new StatefulSetController(ctx, sets, pods, revisions);
        Controller controller = new Controller("statefulset", reconciler, 2);
        sets.addEventHandler(controller.enqueueSelf());
        pods.addEventHandler(controller.enqueueOwner(KIND));
        revisions.addEventHandler(controller.enqueueOwner(KIND));
        return controller;
    }

    @Override
    public Duration reconcile(String key) {
        StatefulSet set = sets.getIndexer().getByKey(key);
        if (set == null) {
            expectations.forget(key);
            return null;
        }
        if (set.getMetadata().getDeletionTimestamp() != null) {
            return null;
        }
        Instant now = ctx.clock().instant();
        if (!expectations.met(key, pods.getIndexer()::getByKey, now)) {
            return WAIT_FOR_INFORMER;
        }
        PodTemplateSpec template = set.getSpec() == null ? null : set.getSpec().getTemplate();
        if (template == null || template.getSpec() == null) {
            ctx.events().warning(set, "FailedCreate", "StatefulSet " + key + " has no pod template");
            return null;
        }
        List<ControllerRevision> owned = Owned.by(revisions, set);
        Integer collisions = set.getStatus() == null ? null : set.getStatus().getCollisionCount();
        ControllerRevision update = Revisions.ensure(ctx.client(), set, template, collisions, owned, Revisions.HASH_LABEL,
                null, () -> bumpCollisionCount(set));
        ControllerRevision current = currentRevision(set, owned, update);

        List<Pod> mine = Owned.by(pods, set).stream().filter(p -> StatefulPods.ordinal(set, p) >= 0).toList();
        StatefulSetPlan plan = StatefulSetPlan.compute(set, mine, current.getMetadata().getName(),
                update.getMetadata().getName(), now);
        for (Pod p : plan.delete) {
            delete(set, key, p, now);
        }
        for (StatefulSetPlan.Create c : plan.create) {
            ControllerRevision from = c.fromUpdateRevision() ? update : current;
            PodTemplateSpec t = from == update ? template : Revisions.template(from);
            create(set, key, StatefulPods.newPod(set, c.ordinal(), t, from.getMetadata().getName()), now);
        }
        updateStatus(set, plan.counts, current, update);
        trimHistory(set, owned, current, update, mine);
        return plan.recheck;
    }

    private static ControllerRevision currentRevision(StatefulSet set, List<ControllerRevision> owned, ControllerRevision update) {
        String name = set.getStatus() == null ? null : set.getStatus().getCurrentRevision();
        if (name == null || name.equals(update.getMetadata().getName())) {
            return update;
        }
        return owned.stream().filter(r -> name.equals(r.getMetadata().getName())).findFirst().orElse(update);
    }

    private void create(StatefulSet set, String key, Pod pod, Instant now) {
        String what = "create Pod " + pod.getMetadata().getName() + " in StatefulSet " + set.getMetadata().getName();
        try {
            ctx.client().pods().inNamespace(set.getMetadata().getNamespace()).resource(pod).create();
            expectations.created(key, Keys.of(pod), now);
            ctx.events().normal(set, "SuccessfulCreate", what + " successful");
        } catch (KubernetesClientException e) {
            if (e.getCode() == 409) {
                return; // the informer has not shown it yet, or the old one is still going; the next pass sees
            }
            ctx.events().warning(set, "FailedCreate", what + " failed error: " + e.getMessage());
            throw e;
        }
    }

    private void delete(StatefulSet set, String key, Pod p, Instant now) {
        String what = "delete Pod " + p.getMetadata().getName() + " in StatefulSet " + set.getMetadata().getName();
        try {
            ctx.client().pods().inNamespace(p.getMetadata().getNamespace()).withName(p.getMetadata().getName()).delete();
            expectations.deleted(key, Keys.of(p), now);
            ctx.events().normal(set, "SuccessfulDelete", what + " successful");
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404) {
                ctx.events().warning(set, "FailedDelete", what + " failed error: " + e.getMessage());
                throw e;
            }
        }
    }

    private void updateStatus(StatefulSet set, StatefulSetPlan.Counts c, ControllerRevision current, ControllerRevision update) {
        StatefulSetStatus old = set.getStatus() == null ? new StatefulSetStatus() : set.getStatus();
        StatefulSetStatus status = Serialization.clone(old);
        status.setObservedGeneration(set.getMetadata().getGeneration());
        status.setReplicas(c.replicas());
        status.setReadyReplicas(c.ready());
        status.setAvailableReplicas(c.available());
        status.setCurrentReplicas(c.current());
        status.setUpdatedReplicas(c.updated());
        status.setCurrentRevision(current.getMetadata().getName());
        status.setUpdateRevision(update.getMetadata().getName());
        // every pod runs the update revision and is ready: it becomes the current one
        if (c.updated() == c.replicas() && c.ready() == c.replicas()) {
            status.setCurrentRevision(update.getMetadata().getName());
            status.setCurrentReplicas(c.updated());
        }
        if (Objects.equals(Serialization.asJson(status), Serialization.asJson(old))) {
            return;
        }
        var resource = ctx.client().apps().statefulSets().inNamespace(set.getMetadata().getNamespace()).withName(set.getMetadata().getName());
        // on a conflict the status goes onto a fresh read; observedGeneration stays the generation it was computed for
        Conflicts.retry(set, resource::get, latest -> {
            StatefulSet copy = Serialization.clone(latest);
            status.setCollisionCount(latest.getStatus() == null ? null : latest.getStatus().getCollisionCount());
            copy.setStatus(status);
            return ctx.client().apps().statefulSets().inNamespace(set.getMetadata().getNamespace()).resource(copy).updateStatus();
        });
    }

    private void bumpCollisionCount(StatefulSet set) {
        StatefulSet copy = Serialization.clone(set);
        if (copy.getStatus() == null) {
            copy.setStatus(new StatefulSetStatus());
        }
        Integer n = copy.getStatus().getCollisionCount();
        copy.getStatus().setCollisionCount(n == null ? 1 : n + 1);
        ctx.client().apps().statefulSets().inNamespace(set.getMetadata().getNamespace()).resource(copy).updateStatus();
    }

    private void trimHistory(StatefulSet set, List<ControllerRevision> owned, ControllerRevision current,
                             ControllerRevision update, List<Pod> mine) {
        Set<String> inUse = new HashSet<>();
        inUse.add(current.getMetadata().getName());
        inUse.add(update.getMetadata().getName());
        for (Pod p : mine) {
            String r = StatefulPods.revision(p);
            if (r != null) {
                inUse.add(r);
            }
        }
        int limit = set.getSpec().getRevisionHistoryLimit() == null ? 10 : set.getSpec().getRevisionHistoryLimit();
        Revisions.trim(ctx.client(), owned, limit, inUse);
    }
}
