package io.kedge.controllers.nodes;

import io.kedge.controllers.framework.Informers;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.kedge.controllers.framework.Controller;
import io.kedge.controllers.framework.ControllerContext;
import io.kedge.controllers.framework.Keys;
import io.kedge.controllers.framework.Reconciler;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Deletes pods from nodes whose NoExecute taints they do not tolerate, or tolerate only for
 * {@code tolerationSeconds} that have run out (see {@link NoExecuteEviction}). Works per pod; node
 * taint changes re-queue the node's pods.
 */
public final class TaintEvictionController implements Reconciler {
    static final String DISRUPTION_TARGET = "DisruptionTarget";

    private final ControllerContext ctx;
    private final SharedIndexInformer<Node> nodes;
    private final SharedIndexInformer<Pod> pods;
    /** When taints without a timeAdded were first seen, so that their tolerationSeconds still run out. */
    private final Map<String, Instant> firstSeen = new ConcurrentHashMap<>();

    private TaintEvictionController(ControllerContext ctx, SharedIndexInformer<Node> nodes, SharedIndexInformer<Pod> pods) {
        this.ctx = ctx;
        this.nodes = nodes;
        this.pods = pods;
    }

    public static Controller create(ControllerContext ctx) {
        SharedIndexInformer<Node> nodes = Informers.shared(ctx.informers(), Node.class);
        SharedIndexInformer<Pod> pods = Informers.shared(ctx.informers(), Pod.class);
        PodsByNode.register(pods);
        TaintEvictionController reconciler = new TaintEvictionController(ctx, nodes, pods);
        Controller controller = new Controller("taint-eviction", reconciler, 2);
        pods.addEventHandler(controller.enqueueSelf());
        // applied to the old and the new state, so removing a taint re-queues the pods as well
        nodes.addEventHandler(controller.<Node>enqueue(n -> hasNoExecute(n)
                ? PodsByNode.on(pods, n.getMetadata().getName()).stream().map(Keys::of).toList() : List.of()));
        return controller;
    }

    @Override
    public Duration reconcile(String key) {
        Pod pod = pods.getIndexer().getByKey(key);
        if (pod == null || pod.getMetadata().getDeletionTimestamp() != null
                || pod.getSpec() == null || pod.getSpec().getNodeName() == null) {
            return null;
        }
        Node node = nodes.getIndexer().getByKey(pod.getSpec().getNodeName());
        if (node == null || node.getSpec() == null) {
            return null;
        }
        List<Taint> taints = node.getSpec().getTaints();
        NoExecuteEviction.Verdict verdict = NoExecuteEviction.judge(pod, taints, t -> since(node, t));
        if (!verdict.evicts()) {
            return null;
        }
        Instant now = ctx.clock().instant();
        if (verdict.at().isAfter(now)) {
            return Duration.between(now, verdict.at());
        }
        evict(pod);
        return null;
    }

    private void evict(Pod pod) {
        String ns = pod.getMetadata().getNamespace();
        String name = pod.getMetadata().getName();
        ctx.events().normal(pod, "TaintManagerEviction", "Marking for deletion Pod " + ns + "/" + name);
        try {
            markDisruptionTarget(pod);
            ctx.client().pods().inNamespace(ns).withName(name).delete();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404) {
                throw e;
            }
        }
    }

    /**
     * Tells the pod's owner (a Job's pod failure policy, say) why the pod goes. The informer's copy
     * may be behind (the pod was just marked not ready), so a conflict is retried on a fresh read.
     */
    private void markDisruptionTarget(Pod pod) {
        var resource = ctx.client().pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName());
        try {
            Conflicts.retry(pod, resource::get, current -> {
                List<PodCondition> conditions = current.getStatus() == null || current.getStatus().getConditions() == null
                        ? new ArrayList<>() : new ArrayList<>(current.getStatus().getConditions());
                if (conditions.stream().anyMatch(c -> DISRUPTION_TARGET.equals(c.getType()))) {
                    return current;
                }
                conditions.add(new PodConditionBuilder().withType(DISRUPTION_TARGET).withStatus("True")
                        .withReason("DeletionByTaintManager").withMessage("Taint manager: deleting due to NoExecute taint")
                        .withLastTransitionTime(Timestamps.format(ctx.clock().instant())).build());
                Pod copy = Serialization.clone(current);
                if (copy.getStatus() == null) {
                    copy.setStatus(new PodStatus());
                }
                copy.getStatus().setConditions(conditions);
                return ctx.client().pods().inNamespace(pod.getMetadata().getNamespace()).resource(copy).updateStatus();
            });
        } catch (KubernetesClientException e) {
            // the condition only informs: failing to add it must not hold the eviction back
            if (e.getCode() == 404) {
                throw e;
            }
        }
    }

    private Instant since(Node node, Taint taint) {
        Instant added = Timestamps.parse(taint.getTimeAdded());
        if (added != null) {
            return added;
        }
        String id = node.getMetadata().getUid() + "|" + taint.getKey() + "|" + taint.getValue();
        return firstSeen.computeIfAbsent(id, k -> ctx.clock().instant());
    }

    private static boolean hasNoExecute(Node n) {
        return n.getSpec() != null && n.getSpec().getTaints() != null
                && n.getSpec().getTaints().stream().anyMatch(t -> Tolerations.NO_EXECUTE.equals(t.getEffect()));
    }
}
