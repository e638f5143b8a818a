package io.kedge.controllers.nodes;

import io.kedge.controllers.framework.Informers;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.kedge.controllers.framework.Controller;
import io.kedge.controllers.framework.ControllerContext;
import io.kedge.controllers.framework.Reconciler;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives each node a pod subnet ({@code spec.podCIDR} and {@code spec.podCIDRs}) from
 * {@code --cluster-cidr}, one {@code /nodeCidrPrefix} each, and takes it back when the node is
 * deleted. The subnets in use are read back from the nodes when the controller starts.
 */
public final class NodeIpamController implements Reconciler {
    private static final Logger LOG = LoggerFactory.getLogger(NodeIpamController.class);

    private final ControllerContext ctx;
    private final SharedIndexInformer<Node> nodes;
    private final CidrSet cidrs;
    /** Node name to the subnet it holds, including one handed out whose patch the informer has not shown yet. */
    private final Map<String, String> assigned = new ConcurrentHashMap<>();
    private volatile boolean loaded;
    private Controller controller;

    private NodeIpamController(ControllerContext ctx, SharedIndexInformer<Node> nodes, CidrSet cidrs) {
        this.ctx = ctx;
        this.nodes = nodes;
        this.cidrs = cidrs;
    }

    public static Controller create(ControllerContext ctx) {
        CidrSet cidrs = new CidrSet(ctx.options().clusterCidr(), ctx.options().nodeCidrPrefix());
        SharedIndexInformer<Node> nodes = Informers.shared(ctx.informers(), Node.class);
        NodeIpamController reconciler = new NodeIpamController(ctx, nodes, cidrs);
        // one worker: allocation order is then the order nodes are seen, and needs no further locking
        Controller controller = new Controller("node-ipam", reconciler, 1);
        reconciler.controller = controller;
        nodes.addEventHandler(controller.enqueueSelf());
        return controller;
    }

    @Override
    public synchronized Duration reconcile(String name) {
        loadOnce();
        Node node = nodes.getIndexer().getByKey(name);
        if (node == null) {
            release(name);
            return null;
        }
        String existing = podCidr(node);
        if (existing != null) {
            if (!existing.equals(assigned.get(name))) {
                take(name, existing);
            }
            return null;
        }
        String cidr = assigned.get(name);
        if (cidr == null) {
            cidr = cidrs.allocate();
            if (cidr == null) {
                ctx.events().normal(node, "CIDRNotAvailable", "Node " + name + " status is now: CIDRNotAvailable");
                return null;
            }
            assigned.put(name, cidr);
        }
        try {
            ctx.client().nodes().withName(name).patch(PatchContext.of(PatchType.JSON_MERGE),
                    Serialization.asJson(Map.of("spec", Map.of("podCIDR", cidr, "podCIDRs", List.of(cidr)))));
            LOG.info("node {} got pod CIDR {}", name, cidr);
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                release(name);
                return null;
            }
            ctx.events().warning(node, "CIDRAssignmentFailed", "Node " + name + " status is now: CIDRAssignmentFailed");
            throw e;
        }
        return null;
    }

    /** The informers have synced before any controller runs, so the first pass sees every node. */
    private void loadOnce() {
        if (loaded) {
            return;
        }
        for (Node n : nodes.getIndexer().list()) {
            String cidr = podCidr(n);
            if (cidr != null) {
                take(n.getMetadata().getName(), cidr);
            }
        }
        loaded = true;
    }

    private void take(String name, String cidr) {
        String before = assigned.put(name, cidr);
        if (before != null && !before.equals(cidr)) {
            cidrs.release(before);
        }
        if (!cidrs.occupy(cidr)) {
            LOG.warn("node {} has pod CIDR {}, which is not a /{} of the cluster CIDR {}; leaving it alone",
                    name, cidr, ctx.options().nodeCidrPrefix(), ctx.options().clusterCidr());
        }
    }

    private void release(String name) {
        String cidr = assigned.remove(name);
        if (cidr == null) {
            return;
        }
        cidrs.release(cidr);
        LOG.info("node {} is gone; pod CIDR {} is free again", name, cidr);
        // nodes that found the range full may now get this one
        for (Node n : nodes.getIndexer().list()) {
            if (podCidr(n) == null && !assigned.containsKey(n.getMetadata().getName())) {
                controller.queue().add(n.getMetadata().getName());
            }
        }
    }

    private static String podCidr(Node node) {
        if (node.getSpec() == null) {
            return null;
        }
        String cidr = node.getSpec().getPodCIDR();
        if ((cidr == null || cidr.isEmpty()) && node.getSpec().getPodCIDRs() != null && !node.getSpec().getPodCIDRs().isEmpty()) {
            cidr = node.getSpec().getPodCIDRs().get(0);
        }
        return cidr == null || cidr.isEmpty() ? null : cidr;
    }
}
