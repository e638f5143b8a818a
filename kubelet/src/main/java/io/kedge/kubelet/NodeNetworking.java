package io.kedge.kubelet;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.kedge.hub.EdgeHub;
import io.kedge.kubelet.node.DnsInterface;
import io.kedge.kubelet.node.PeerProber;
import io.kedge.kubelet.node.UnitPeers;
import io.kedge.kubelet.node.UnitRoutes;
import io.kedge.netproxy.cloud.CloudServiceForwarder;
import io.kedge.netproxy.dns.NodeDns;
import io.kedge.netproxy.iptables.ProxySettings;
import io.kedge.netproxy.iptables.ServiceProxy;
import io.kedge.tunnel.TunnelClient;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's part of its unit's network, every piece fed through the hub so that it keeps working
 * while the cloud is unreachable: probes of the unit's other nodes (published for the cloud's
 * eviction decisions), and, when the agent owns the node's network, routes to those nodes' pods,
 * Services in iptables, the node DNS, and the relay to Services that run in the cloud.
 */
final class NodeNetworking implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NodeNetworking.class);
    private final Deque<AutoCloseable> opened = new ArrayDeque<>();
    private UnitPeers peers;

    /** Peers and their probes: every agent takes part, whatever it does to its network. */
    void startPeers(KubernetesClient client, String nodeName) {
        peers = new UnitPeers(client, nodeName).start();
        opened.push(peers);
        opened.push(new PeerProber(client, nodeName, peers).start());
    }

    /** Routes to the peers' pods, the node DNS and the Service proxy; before the pods start, so they find DNS at once. */
    void startNetwork(KubernetesClient client, String nodeName, String nodeIp, NodeNetwork network, Path resolvConf)
            throws IOException {
        String lan = UnitRoutes.interfaceOf(nodeIp);
        if (lan == null) {
            LOG.warn("no interface holds the node's address {}, so no routes to the unit's other nodes' pods", nodeIp);
        } else {
            opened.push(new UnitRoutes(peers, lan).start());
        }
        DnsInterface.ensure(network.clusterDns());
        try {
            opened.push(NodeDns.start(client, new InetSocketAddress(network.clusterDns(), 53), resolvConf));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while starting the node DNS", e);
        }
        opened.push(ServiceProxy.start(client, ProxySettings.of(nodeName)));
        LOG.info("node network: routes over {}, DNS on {}:53, Services in iptables", lan, network.clusterDns());
    }

    /** Services that run only in the cloud reach the node's pods through the agent's tunnels, at local listeners. */
    void relayCloudServices(EdgeHub hub, List<TunnelClient> tunnels, NodeNetwork network) throws IOException {
        CloudServiceForwarder relay = CloudServiceForwarder.overClients(tunnels, InetAddress.getByName(network.clusterDns()));
        opened.push(relay);
        hub.relayCloudServices((namespace, service, port) -> {
            try {
                return Optional.of(relay.listenerFor(namespace, service, port));
            } catch (RuntimeException e) {
                LOG.warn("no relay for cloud Service {}/{} port {}: {}", namespace, service, port, e.getMessage());
                return Optional.empty();
            }
        });
    }

    @Override
    public void close() {
        while (!opened.isEmpty()) {
            AutoCloseable c = opened.pop();
            try {
                c.close();
            } catch (Exception e) {
                LOG.warn("closing {}: {}", c.getClass().getSimpleName(), e.toString());
            }
        }
    }
}
