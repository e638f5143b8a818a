package io.kedge.kubelet;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * What {@code kedge agent} is told.
 *
 * @param servers          the cloud API server URLs, tried in order by the hub; empty keeps the kubeconfig's
 * @param nodeName         the Node's name (a lowercase DNS subdomain)
 * @param unit             the edge unit the node joins ({@code kedge.io/unit})
 * @param dataDir          the agent's state: pod volumes, CNI address leases
 * @param containerdSocket containerd's CRI socket
 * @param kubeconfig       the credentials; null uses $KUBECONFIG or ~/.kube/config
 * @param cniConfDir       where the node's CNI config is written; containerd's CRI plugin reads it
 * @param nodeIp           the node's InternalIP; null picks the host's first IPv4
 * @param podManifestDir   static pod manifests; null for none
 * @param kubeletPort      the kubelet API's HTTPS port; 0 picks a free one
 * @param resolvConf       the resolv.conf pods start their DNS config from; null for the host's
 * @param hubPort          the loopback port of the node's hub, through which every component reaches the cloud; 0 picks a free one
 * @param network          routes to unit peers, Services and the node DNS; {@link NodeNetwork#OFF} leaves the host's network alone
 * @param hubPodAddress    where the hub serves the node's pods as {@code kubernetes.default} (HTTPS); null: not at all
 */
public record AgentConfig(List<URI> servers, String nodeName, String unit, Path dataDir, Path containerdSocket, Path kubeconfig,
                          Path cniConfDir, String nodeIp, Path podManifestDir, int kubeletPort, Path resolvConf, int hubPort,
                          NodeNetwork network, InetSocketAddress hubPodAddress) {
    public static final String DEFAULT_UNIT = "default";
    public static final int DEFAULT_HUB_PORT = 10261;
    public static final Path DEFAULT_DATA_DIR = Path.of("/var/lib/kedge/agent");
    public static final Path DEFAULT_CONTAINERD_SOCKET = Path.of("/run/containerd/containerd.sock");
    public static final Path DEFAULT_CNI_CONF_DIR = Path.of("/etc/cni/net.d");
    private static final Pattern DNS_SUBDOMAIN = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    private static final Pattern LABEL_VALUE = Pattern.compile("([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]");

    public AgentConfig {
        if (nodeName == null || nodeName.length() > 253 || !DNS_SUBDOMAIN.matcher(nodeName).matches()) {
            throw new IllegalArgumentException("node name \"" + nodeName
                    + "\" is not a lowercase DNS subdomain (letters, digits, '-' and '.'); set one with --node-name");
        }
        if (unit == null || unit.length() > 63 || !LABEL_VALUE.matcher(unit).matches()) {
            throw new IllegalArgumentException("unit \"" + unit + "\" cannot be a label value (at most 63 letters, digits, '-', '_' or '.')");
        }
        servers = servers == null ? List.of() : List.copyOf(servers);
        for (URI server : servers) {
            if (!"https".equals(server.getScheme()) || server.getHost() == null) {
                throw new IllegalArgumentException("server URL " + server + " must be https://HOST[:PORT]");
            }
        }
        if (kubeconfig != null && !Files.isReadable(kubeconfig)) {
            throw new IllegalArgumentException("kubeconfig " + kubeconfig + " cannot be read");
        }
        if (nodeIp != null && !nodeIp.matches("[0-9a-fA-F.:]+")) {
            throw new IllegalArgumentException("node IP " + nodeIp + " is not an IP address");
        }
        if (kubeletPort < 0 || kubeletPort > 65535) {
            throw new IllegalArgumentException("kubelet port " + kubeletPort + " is not a TCP port (0 to 65535)");
        }
        if (hubPort < 0 || hubPort > 65535) {
            throw new IllegalArgumentException("hub port " + hubPort + " is not a TCP port (0 to 65535)");
        }
        if (resolvConf != null && !Files.isReadable(resolvConf)) {
            throw new IllegalArgumentException("resolv.conf " + resolvConf + " cannot be read");
        }
        dataDir = dataDir.toAbsolutePath();
        cniConfDir = cniConfDir.toAbsolutePath();
        network = network == null ? NodeNetwork.OFF : network;
    }

    /** Without an endpoint for pods. */
    public AgentConfig(List<URI> servers, String nodeName, String unit, Path dataDir, Path containerdSocket, Path kubeconfig,
                       Path cniConfDir, String nodeIp, Path podManifestDir, int kubeletPort, Path resolvConf, int hubPort,
                       NodeNetwork network) {
        this(servers, nodeName, unit, dataDir, containerdSocket, kubeconfig, cniConfDir, nodeIp, podManifestDir, kubeletPort,
                resolvConf, hubPort, network, null);
    }

    /** Without the node's own network: for agents that share their host's network namespace. */
    public AgentConfig(List<URI> servers, String nodeName, String unit, Path dataDir, Path containerdSocket, Path kubeconfig,
                       Path cniConfDir, String nodeIp, Path podManifestDir, int kubeletPort, Path resolvConf, int hubPort) {
        this(servers, nodeName, unit, dataDir, containerdSocket, kubeconfig, cniConfDir, nodeIp, podManifestDir, kubeletPort,
                resolvConf, hubPort, NodeNetwork.OFF);
    }

    /** One server (null for the kubeconfig's) and the hub on its default port. */
    public AgentConfig(URI server, String nodeName, String unit, Path dataDir, Path containerdSocket, Path kubeconfig,
                       Path cniConfDir, String nodeIp, Path podManifestDir, int kubeletPort, Path resolvConf) {
        this(server == null ? List.of() : List.of(server), nodeName, unit, dataDir, containerdSocket, kubeconfig, cniConfDir,
                nodeIp, podManifestDir, kubeletPort, resolvConf, DEFAULT_HUB_PORT);
    }

    /** The host's name, lowercased, as upstream kubelets name their node. */
    public static String defaultNodeName() {
        String name;
        try {
            name = Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
        } catch (Exception e) {
            try {
                name = InetAddress.getLocalHost().getHostName();
            } catch (UnknownHostException ex) {
                name = "";
            }
        }
        return name.toLowerCase(Locale.ROOT);
    }
}
