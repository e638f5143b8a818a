package io.kedge.controllers.nodes;

import io.kedge.controllers.framework.Informers;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.kedge.controllers.framework.Controller;
import io.kedge.controllers.framework.ControllerContext;
import io.kedge.controllers.framework.Reconciler;
import io.kedge.controllers.nodes.NodeHealthPolicy.Decision;
import io.kedge.controllers.nodes.NodeHealthPolicy.Health;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches node heartbeats (Leases in {@code kube-node-lease}, and the Ready condition) and, through
 * a {@link NodeHealthPolicy}, marks silent nodes Unknown, taints unhealthy nodes, and marks their
 * pods not ready. Evicting pods is left to the NoExecute taints and {@link TaintEvictionController}.
 */
public final class NodeLifecycleController implements Reconciler {
    private static final Logger LOG = LoggerFactory.getLogger(NodeLifecycleController.class);
    static final String NODE_LEASE_NAMESPACE = "kube-node-lease";

    private final ControllerContext ctx;
    private final NodeHealthPolicy policy;
    private final SharedIndexInformer<Node> nodes;
    private final SharedIndexInformer<Lease> leases;
    private final SharedIndexInformer<Pod> pods;
    /** What this process last decided per node, so that a NodeNotReady event marks the change, not every pass. */
    private final Map<String, Health> lastHealth = new ConcurrentHashMap<>();

    private NodeLifecycleController(ControllerContext ctx, NodeHealthPolicy policy, SharedIndexInformer<Node> nodes,
                                    SharedIndexInformer<Lease> leases, SharedIndexInformer<Pod> pods) {
        this.ctx = ctx;
        this.policy = policy;
        this.nodes = nodes;
        this.leases = leases;
        this.pods = pods;
    }

    /**
     * The upstream behaviour ({@link GracePeriodHealthPolicy} with {@code --node-monitor-grace-period})
     * for cloud nodes, and {@link EdgeAutonomyPolicy} for edge nodes.
     */
    public static Controller create(ControllerContext ctx) {
        Duration grace = ctx.options().nodeMonitorGracePeriod();
        GracePeriodHealthPolicy upstream = new GracePeriodHealthPolicy(grace);
        InformerUnitPeers peers = new InformerUnitPeers(Informers.shared(ctx.informers(), Node.class),
                Informers.shared(ctx.informers(), Lease.class), upstream);
        return create(ctx, NodeHealthPolicy.splitByEdgeLabel(
                new EdgeAutonomyPolicy(grace, ctx.options().edgeAutonomy(), new UnitAutonomy(ctx.client()), peers),
                upstream));
    }

    public static Controller create(ControllerContext ctx, NodeHealthPolicy policy) {
        if (policy == null) {
            throw new IllegalArgumentException("the node lifecycle controller needs a NodeHealthPolicy");
        }
        SharedIndexInformer<Node> nodes = Informers.shared(ctx.informers(), Node.class);
        SharedIndexInformer<Lease> leases = Informers.shared(ctx.informers(), Lease.class);
        SharedIndexInformer<Pod> pods = Informers.shared(ctx.informers(), Pod.class);
        PodsByNode.register(pods);
        NodeLifecycleController reconciler = new NodeLifecycleController(ctx, policy, nodes, leases, pods);
        Controller controller = new Controller("node-lifecycle", reconciler, 2);
        nodes.addEventHandler(controller.enqueueSelf());
        leases.addEventHandler(controller.<Lease>enqueue(l -> NODE_LEASE_NAMESPACE.equals(l.getMetadata().getNamespace())
                ? List.of(l.getMetadata().getName()) : List.of()));
        // a pod bound to an unhealthy node is marked not ready however late it arrives
        pods.addEventHandler(controller.<Pod>enqueue(p -> p.getSpec() == null || p.getSpec().getNodeName() == null
                ? List.of() : List.of(p.getSpec().getNodeName())));
        return controller;
    }

    @Override
    public Duration reconcile(String name) {
        Node node = nodes.getIndexer().getByKey(name);
        if (node == null) {
            lastHealth.remove(name);
            return null;
        }
        Lease lease = leases.getIndexer().getByKey(NODE_LEASE_NAMESPACE + "/" + name);
        Instant now = ctx.clock().instant();
        Decision decision = policy.decide(node, lease, now);
        if (decision == null) {
            throw new IllegalStateException("node health policy " + policy.getClass().getName()
                    + " returned no decision for node " + name);
        }
        Health before = lastHealth.put(name, decision.health());

        Node marked = decision.health() == Health.UNREACHABLE ? markUnknown(node, now) : null;
        if (marked != null) {
            node = marked;
        }
        Node autonomyShown = syncAutonomy(node, decision, now);
        if (autonomyShown != null) {
            node = autonomyShown;
        }
        boolean changed = before != null && before != decision.health();
        if (decision.health() != Health.HEALTHY && (marked != null || changed)) {
            ctx.events().normal(node, "NodeNotReady", "Node " + name + " status is now: NodeNotReady");
        }
        if (decision.markPodsNotReady()) {
            markPodsNotReady(name);
        }
        updateTaints(node, decision, now);
        return decision.recheckAfter();
    }

    /** @return the node as written, or null if its conditions were Unknown already */
    private Node markUnknown(Node node, Instant now) {
        String name = node.getMetadata().getName();
        return Conflicts.retry(node, () -> ctx.client().nodes().withName(name).get(), current -> {
            Node copy = Serialization.clone(current);
            if (!NodeConditions.markUnknown(copy, now)) {
                return null;
            }
            LOG.info("node {} stopped posting status; marking its conditions Unknown", name);
            return ctx.client().nodes().resource(copy).updateStatus();
        });
    }

    /** @return the node as written, or null if its EdgeAutonomy condition said so already */
    private Node syncAutonomy(Node node, Decision decision, Instant now) {
        String name = node.getMetadata().getName();
        return Conflicts.retry(node, () -> ctx.client().nodes().withName(name).get(), current -> {
            Node copy = Serialization.clone(current);
            if (!NodeConditions.syncAutonomy(copy, decision.autonomy(), now)) {
                return null;
            }
            LOG.info("node {}: {}", name, NodeConditions.find(copy, NodeConditions.EDGE_AUTONOMY).getMessage());
            return ctx.client().nodes().resource(copy).updateStatus();
        });
    }

    private void updateTaints(Node node, Decision decision, Instant now) {
        String name = node.getMetadata().getName();
        Conflicts.retry(node, () -> ctx.client().nodes().withName(name).get(), current -> {
            List<Taint> wanted = NodeTaints.reconciled(current, decision, now);
            if (NodeTaints.sameTaints(current.getSpec() == null ? null : current.getSpec().getTaints(), wanted)) {
                return current;
            }
            // the resourceVersion makes this a compare-and-swap: a taint someone added meanwhile is not lost
            Map<String, Object> patch = Map.of(
                    "metadata", Map.of("resourceVersion", current.getMetadata().getResourceVersion()),
                    "spec", Map.of("taints", wanted));
            return ctx.client().nodes().withName(name).patch(PatchContext.of(PatchType.JSON_MERGE), Serialization.asJson(patch));
        });
    }

    /** Every pod on the node, terminating ones too, for as long as a pod shows Ready it stays a Service endpoint. */
    private void markPodsNotReady(String nodeName) {
        String now = Timestamps.format(ctx.clock().instant());
        KubernetesClientException failure = null;
        for (Pod pod : PodsByNode.on(pods, nodeName)) {
            if (!isReady(pod)) {
                continue;
            }
            var resource = ctx.client().pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName());
            try {
                Pod written = Conflicts.retry(pod, resource::get, current -> {
                    if (!isReady(current) || !nodeName.equals(current.getSpec().getNodeName())) {
                        return null;
                    }
                    Pod copy = Serialization.clone(current);
                    PodCondition c = readyCondition(copy);
                    c.setStatus("False");
                    c.setLastTransitionTime(now);
                    return ctx.client().pods().inNamespace(pod.getMetadata().getNamespace()).resource(copy).updateStatus();
                });
                if (written != null) {
                    ctx.events().warning(written, "NodeNotReady", "Node is not ready");
                }
            } catch (KubernetesClientException e) {
                if (e.getCode() != 404) {
                    failure = e;
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private static boolean isReady(Pod pod) {
        PodCondition ready = readyCondition(pod);
        return ready != null && "True".equals(ready.getStatus());
    }

    private static PodCondition readyCondition(Pod pod) {
        if (pod.getStatus() == null || pod.getStatus().getConditions() == null) {
            return null;
        }
        return pod.getStatus().getConditions().stream().filter(c -> "Ready".equals(c.getType())).findFirst().orElse(null);
    }
}
