package io.kedge.kubelet.node;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The other nodes of this node's unit, as the Nodes say (read through the hub, so also offline):
 * the nodes whose {@code kedge.io/unit} label is this node's own. The node's unit is read from its
 * own Node too, so a relabel moves it to its new peers. A node in no unit has no peers.
 */
public final class UnitPeers implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(UnitPeers.class);
    static final int DEFAULT_KUBELET_PORT = 10250;

    /**
     * One unit peer.
     *
     * @param address     its InternalIP, or null when it has none yet
     * @param podCidr     its {@code spec.podCIDR}, or null when it has none yet
     * @param kubeletPort {@code status.daemonEndpoints.kubeletEndpoint.Port}, 10250 when unset
     */
    public record Peer(String name, String address, String podCidr, int kubeletPort) {}

    private final KubernetesClient client;
    private final String nodeName;
    private final List<Consumer<List<Peer>>> listeners = new CopyOnWriteArrayList<>();
    private volatile List<Peer> peers = List.of();
    private SharedIndexInformer<Node> self;
    private SharedIndexInformer<Node> unitNodes;
    private String watchedUnit;

    public UnitPeers(KubernetesClient client, String nodeName) {
        this.client = client;
        this.nodeName = nodeName;
    }

    /** Called with the new peers whenever they change. */
    public UnitPeers onChange(Consumer<List<Peer>> listener) {
        listeners.add(listener);
        return this;
    }

    public List<Peer> peers() {
        return peers;
    }

    /**
     * Starts watching its own Node, and the Nodes of its unit by label; returns at once, the first
     * peers follow once the hub has answered. Only the unit is watched: every Node of the cluster
     * would bring each node every other node's status and peer reports.
     */
    public synchronized UnitPeers start() {
        self = client.nodes().withName(nodeName).inform(handler(this::ownNodeChanged), 30_000);
        return this;
    }

    private ResourceEventHandler<Node> handler(Runnable onChange) {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(Node node) {
                onChange.run();
            }

            @Override
            public void onUpdate(Node before, Node after) {
                onChange.run();
            }

            @Override
            public void onDelete(Node node, boolean unknownFinalState) {
                onChange.run();
            }
        };
    }

    /** Follows a relabel: the unit's informer is replaced by one for the new unit. */
    private synchronized void ownNodeChanged() {
        String unit = self.getStore().list().stream().findFirst().map(UnitPeers::unitOf).orElse(null);
        if (!Objects.equals(unit, watchedUnit)) {
            if (unitNodes != null) {
                unitNodes.close();
                unitNodes = null;
            }
            watchedUnit = unit;
            if (unit != null) {
                unitNodes = client.nodes().withLabel(NodeRegistration.UNIT_LABEL, unit).inform(handler(this::refresh), 30_000);
            }
        }
        refresh();
    }

    private synchronized void refresh() {
        List<Node> known = new ArrayList<>(self.getStore().list());
        if (unitNodes != null) {
            known.addAll(unitNodes.getStore().list());
        }
        List<Peer> now = peersOf(nodeName, known);
        if (!now.equals(peers)) {
            LOG.info("unit peers of node {}: {}", nodeName, now.stream().map(p -> p.name() + "=" + p.address()).toList());
            peers = now;
            listeners.forEach(l -> l.accept(now));
        }
    }

    /** The nodes that share {@code self}'s unit, by name; none when {@code self} is unknown or in no unit. */
    static List<Peer> peersOf(String self, Collection<Node> nodes) {
        String unit = nodes.stream().filter(n -> self.equals(n.getMetadata().getName())).findFirst()
                .map(UnitPeers::unitOf).orElse(null);
        if (unit == null) {
            return List.of();
        }
        List<Peer> out = new ArrayList<>();
        for (Node n : nodes) {
            if (!self.equals(n.getMetadata().getName()) && unit.equals(unitOf(n))) {
                out.add(new Peer(n.getMetadata().getName(), internalIp(n), n.getSpec() == null ? null : n.getSpec().getPodCIDR(),
                        kubeletPort(n)));
            }
        }
        out.sort(Comparator.comparing(Peer::name));
        return List.copyOf(out);
    }

    private static String unitOf(Node n) {
        Map<String, String> labels = n.getMetadata().getLabels();
        String unit = labels == null ? null : labels.get(NodeRegistration.UNIT_LABEL);
        return unit == null || unit.isEmpty() ? null : unit;
    }

    private static String internalIp(Node n) {
        if (n.getStatus() == null || n.getStatus().getAddresses() == null) {
            return null;
        }
        return n.getStatus().getAddresses().stream().filter(a -> "InternalIP".equals(a.getType())).map(NodeAddress::getAddress)
                .filter(Objects::nonNull).findFirst().orElse(null);
    }

    private static int kubeletPort(Node n) {
        var endpoints = n.getStatus() == null ? null : n.getStatus().getDaemonEndpoints();
        var kubelet = endpoints == null ? null : endpoints.getKubeletEndpoint();
        Integer port = kubelet == null ? null : kubelet.getPort();
        return port == null || port <= 0 ? DEFAULT_KUBELET_PORT : port;
    }

    @Override
    public synchronized void close() {
        if (self != null) {
            self.close();
        }
        if (unitNodes != null) {
            unitNodes.close();
        }
    }
}
