package io.kedge.controllers.sets;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetStatus;
import io.fabric8.kubernetes.api.model.apps.DaemonSetUpdateStrategy;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Runs one pod of a DaemonSet on every node that fits it (nodeSelector, required node affinity,
 * taints against the template's tolerations plus the DaemonSet defaults), pinned by node affinity
 * for the scheduler to bind. Rolls template changes out by RollingUpdate (maxUnavailable or
 * maxSurge) or leaves them to OnDelete, keeping ControllerRevisions of the templates.
 */
public final class DaemonSetController implements Reconciler {
    static final String KIND = "DaemonSet";
    private static final Duration WAIT_FOR_INFORMER = Duration.ofSeconds(1);

    private final ControllerContext ctx;
    private final SharedIndexInformer<DaemonSet> daemonSets;
    private final SharedIndexInformer<Pod> pods;
    private final SharedIndexInformer<Node> nodes;
    private final SharedIndexInformer<ControllerRevision> revisions;
    private final Expectations expectations = new Expectations();

    private DaemonSetController(ControllerContext ctx, SharedIndexInformer<DaemonSet> daemonSets, SharedIndexInformer<Pod> pods,
                                SharedIndexInformer<Node> nodes, SharedIndexInformer<ControllerRevision> revisions) {
        this.ctx = ctx;
        this.daemonSets = daemonSets;
        this.pods = pods;
        this.nodes = nodes;
        this.revisions = revisions;
    }

    public static Controller create(ControllerContext ctx) {
        SharedIndexInformer<DaemonSet> daemonSets = Informers.shared(ctx.informers(), DaemonSet.class);
        SharedIndexInformer<Pod> pods = Informers.shared(ctx.informers(), Pod.class);
        SharedIndexInformer<Node> nodes = Informers.shared(ctx.informers(), Node.class);
        SharedIndexInformer<ControllerRevision> revisions = Informers.shared(ctx.informers(), ControllerRevision.class);
        Owned.register(pods);
        Owned.register(revisions);
        DaemonSetController reconciler = new DaemonSetController(ctx, daemonSets, pods, nodes, revisions);
        Controller controller = new Controller("daemonset", reconciler, 2);
        daemonSets.addEventHandler(controller.enqueueSelf());
        pods.addEventHandler(controller.enqueueOwner(KIND));
        revisions.addEventHandler(controller.enqueueOwner(KIND));
        // any node change may change where every DaemonSet belongs
        nodes.addEventHandler(controller.<Node>enqueue(n -> daemonSets.getIndexer().list().stream().map(Keys::of).toList()));
        return controller;
    }

    @Override
    public Duration reconcile(String key) {
        DaemonSet ds = daemonSets.getIndexer().getByKey(key);
        if (ds == null) {
            expectations.forget(key);
            return null;
        }
        if (ds.getMetadata().getDeletionTimestamp() != null) {
            return null;
        }
        Instant now = ctx.clock().instant();
        if (!expectations.met(key, pods.getIndexer()::getByKey, now)) {
            return WAIT_FOR_INFORMER;
        }
        PodTemplateSpec template = ds.getSpec() == null ? null : ds.getSpec().getTemplate();
        if (template == null || template.getSpec() == null) {
            ctx.events().warning(ds, "FailedCreate", "DaemonSet " + key + " has no pod template");
            return null;
        }
        List<ControllerRevision> owned = Owned.by(revisions, ds);
        Integer collisions = ds.getStatus() == null ? null : ds.getStatus().getCollisionCount();
        ControllerRevision current = Revisions.ensure(ctx.client(), ds, template, collisions, owned, Revisions.POD_LABEL,
                ds.getMetadata().getAnnotations(), () -> bumpCollisionCount(ds));
        String hash = hashOf(current, template, collisions);

        List<Pod> mine = Owned.by(pods, ds);
        int minReadySeconds = ds.getSpec().getMinReadySeconds() == null ? 0 : ds.getSpec().getMinReadySeconds();
        DaemonSetPlan plan = DaemonSetPlan.compute(nodes.getIndexer().list(), daemonPodSpec(template), mine, hash,
                strategy(ds), minReadySeconds, now);

        for (Pod p : plan.failed) {
            ctx.events().warning(ds, "FailedDaemonPod", "Found failed daemon pod " + Keys.of(p) + " on node "
                    + p.getSpec().getNodeName() + ", will try to kill it");
            delete(ds, key, p, now);
        }
        for (Pod p : plan.delete) {
            delete(ds, key, p, now);
        }
        KubernetesClientException createError = null;
        for (String node : plan.createOn) {
            try {
                createPod(ds, key, template, hash, node, now);
            } catch (KubernetesClientException e) {
                ctx.events().warning(ds, "FailedCreate", "Error creating: " + e.getMessage());
                createError = e;
            }
        }
        updateStatus(ds, plan.counts);
        trimHistory(ds, owned, current, mine);
        if (createError != null) {
            throw createError;
        }
        return plan.recheck;
    }

    static DaemonSetPlan.Strategy strategy(DaemonSet ds) {
        DaemonSetUpdateStrategy s = ds.getSpec().getUpdateStrategy();
        if (s != null && "OnDelete".equals(s.getType())) {
            return new DaemonSetPlan.Strategy(false, null, null);
        }
        var rolling = s == null ? null : s.getRollingUpdate();
        return new DaemonSetPlan.Strategy(true, rolling == null ? null : rolling.getMaxUnavailable(),
                rolling == null ? null : rolling.getMaxSurge());
    }

    /** The template as its pods will have it: with the DaemonSet tolerations, which decide where it fits. */
    static PodSpec daemonPodSpec(PodTemplateSpec template) {
        PodSpec spec = Serialization.clone(template.getSpec());
        DaemonPlacement.addDefaultTolerations(spec);
        return spec;
    }

    private void createPod(DaemonSet ds, String key, PodTemplateSpec template, String hash, String node, Instant now) {
        Map<String, String> labels = new LinkedHashMap<>();
        if (template.getMetadata() != null && template.getMetadata().getLabels() != null) {
            labels.putAll(template.getMetadata().getLabels());
        }
        labels.put(Revisions.POD_LABEL, hash);
        PodSpec spec = daemonPodSpec(template);
        DaemonPlacement.pinToNode(spec, node);
        Pod pod = new Pod();
        pod.setMetadata(new ObjectMetaBuilder().withGenerateName(ds.getMetadata().getName() + "-")
                .withNamespace(ds.getMetadata().getNamespace()).withLabels(labels)
                .withAnnotations(template.getMetadata() == null ? null : template.getMetadata().getAnnotations())
                .withFinalizers(template.getMetadata() == null ? null : template.getMetadata().getFinalizers())
                .withOwnerReferences(Owned.reference(ds)).build());
        pod.setSpec(spec);
        Pod created = ctx.client().pods().inNamespace(ds.getMetadata().getNamespace()).resource(pod).create();
        expectations.created(key, Keys.of(created), now);
        ctx.events().normal(ds, "SuccessfulCreate", "Created pod: " + created.getMetadata().getName());
    }

    private void delete(DaemonSet ds, String key, Pod p, Instant now) {
        try {
            ctx.client().pods().inNamespace(p.getMetadata().getNamespace()).withName(p.getMetadata().getName()).delete();
            expectations.deleted(key, Keys.of(p), now);
            ctx.events().normal(ds, "SuccessfulDelete", "Deleted pod: " + p.getMetadata().getName());
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404) {
                ctx.events().warning(ds, "FailedDelete", "Error deleting: " + e.getMessage());
                throw e;
            }
        }
    }

    private void updateStatus(DaemonSet ds, DaemonSetPlan.Counts c) {
        DaemonSetStatus old = ds.getStatus() == null ? new DaemonSetStatus() : ds.getStatus();
        DaemonSetStatus status = Serialization.clone(old);
        status.setDesiredNumberScheduled(c.desired());
        status.setCurrentNumberScheduled(c.current());
        status.setNumberMisscheduled(c.misscheduled());
        status.setNumberReady(c.ready());
        status.setNumberAvailable(c.available());
        status.setNumberUnavailable(c.desired() - c.available());
        status.setUpdatedNumberScheduled(c.updated());
        status.setObservedGeneration(ds.getMetadata().getGeneration());
        if (Objects.equals(Serialization.asJson(status), Serialization.asJson(old))) {
            return;
        }
        var resource = ctx.client().apps().daemonSets().inNamespace(ds.getMetadata().getNamespace()).withName(ds.getMetadata().getName());
        // on a conflict the status goes onto a fresh read; observedGeneration stays the generation it was computed for
        Conflicts.retry(ds, resource::get, latest -> {
            DaemonSet copy = Serialization.clone(latest);
            status.setCollisionCount(latest.getStatus() == null ? null : latest.getStatus().getCollisionCount());
            copy.setStatus(status);
            return ctx.client().apps().daemonSets().inNamespace(ds.getMetadata().getNamespace()).resource(copy).updateStatus();
        });
    }

    private void bumpCollisionCount(DaemonSet ds) {
        DaemonSet copy = Serialization.clone(ds);
        if (copy.getStatus() == null) {
            copy.setStatus(new DaemonSetStatus());
        }
        Integer n = copy.getStatus().getCollisionCount();
        copy.getStatus().setCollisionCount(n == null ? 1 : n + 1);
        ctx.client().apps().daemonSets().inNamespace(ds.getMetadata().getNamespace()).resource(copy).updateStatus();
    }

    private void trimHistory(DaemonSet ds, List<ControllerRevision> owned, ControllerRevision current, List<Pod> mine) {
        Set<String> liveHashes = new HashSet<>();
        for (Pod p : mine) {
            if (p.getMetadata().getLabels() != null && p.getMetadata().getLabels().get(Revisions.POD_LABEL) != null) {
                liveHashes.add(p.getMetadata().getLabels().get(Revisions.POD_LABEL));
            }
        }
        Set<String> inUse = new HashSet<>();
        inUse.add(current.getMetadata().getName());
        for (ControllerRevision r : owned) {
            String h = r.getMetadata().getLabels() == null ? null : r.getMetadata().getLabels().get(Revisions.POD_LABEL);
            if (h != null && liveHashes.contains(h)) {
                inUse.add(r.getMetadata().getName());
            }
        }
        int limit = ds.getSpec().getRevisionHistoryLimit() == null ? 10 : ds.getSpec().getRevisionHistoryLimit();
        Revisions.trim(ctx.client(), owned, limit, inUse);
    }

    private static String hashOf(ControllerRevision r, PodTemplateSpec template, Integer collisions) {
        String h = r.getMetadata().getLabels() == null ? null : r.getMetadata().getLabels().get(Revisions.POD_LABEL);
        return h != null ? h : Revisions.hash(template, collisions);
    }
}
