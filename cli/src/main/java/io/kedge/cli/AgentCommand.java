package io.kedge.cli;

import io.kedge.kubelet.Agent;
import io.kedge.kubelet.AgentConfig;
import io.kedge.kubelet.NodeNetwork;
import io.kedge.kubelet.certs.BootstrapToken;
import io.kedge.kubelet.join.TokenJoin;
import io.kedge.pki.CaCertHash;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code kedge agent}: the edge node's kubelet. */
@Command(name = "agent", mixinStandardHelpOptions = true, subcommands = AgentStatusCommand.class,
        description = "Runs an edge node: its hub (the local API endpoint with an offline cache), node registration, "
                + "status and Lease, and its pods through containerd.")
final class AgentCommand implements Callable<Integer> {
    @Option(names = "--server", paramLabel = "URL",
            description = "A cloud API server URL (e.g. https://10.0.0.1:6443); repeat it for several servers, which the "
                    + "node's hub fails over between. Overrides the kubeconfig's server.")
    List<URI> servers = new ArrayList<>();

    @Option(names = "--kubeconfig", paramLabel = "FILE",
            description = "The node's credentials (default: $KUBECONFIG, then ~/.kube/config).")
    Path kubeconfig;

    @Option(names = "--node-name", paramLabel = "NAME",
            description = "The Node's name (default: this host's name, lowercased).")
    String nodeName;

    @Option(names = "--unit", defaultValue = AgentConfig.DEFAULT_UNIT, paramLabel = "UNIT",
            description = "The edge unit (site) the node belongs to; set as the label kedge.io/unit (default: ${DEFAULT-VALUE}).")
    String unit;

    @Option(names = "--data-dir", defaultValue = "/var/lib/kedge/agent", paramLabel = "DIR",
            description = "Where the agent keeps pod volumes and CNI address leases (default: ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--containerd-socket", defaultValue = "/run/containerd/containerd.sock", paramLabel = "PATH",
            description = "containerd's CRI socket (default: ${DEFAULT-VALUE}).")
    Path containerdSocket;

    @Option(names = "--cni-conf-dir", defaultValue = "/etc/cni/net.d", paramLabel = "DIR",
            description = "Where the node's CNI config is written; containerd's CRI plugin must read the same dir "
                    + "(default: ${DEFAULT-VALUE}).")
    Path cniConfDir;

    @Option(names = "--node-ip", paramLabel = "IP",
            description = "The node's InternalIP (default: the host's first non-loopback IPv4).")
    String nodeIp;

    @Option(names = "--pod-manifests", paramLabel = "DIR",
            description = "A directory of static pod manifests (YAML or JSON), run on this node and shown as mirror pods.")
    Path podManifests;

    @Option(names = "--kubelet-port", defaultValue = "10250", paramLabel = "PORT",
            description = "HTTPS port of the node's kubelet API: logs, exec, attach, port-forward, stats "
                    + "(default: ${DEFAULT-VALUE}).")
    int kubeletPort;

    @Option(names = "--hub-port", defaultValue = "10261", paramLabel = "PORT",
            description = "Loopback port of the node's hub (EdgeHub), through which the agent's components and local "
                    + "clients reach the cloud, and which answers from its cache while the cloud is unreachable "
                    + "(default: ${DEFAULT-VALUE}).")
    int hubPort;

    @Option(names = "--resolv-conf", paramLabel = "FILE",
            description = "The resolv.conf that pods' DNS config starts from (default: /etc/resolv.conf).")
    Path resolvConf;

    @Option(names = "--node-network", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Program the node's network: routes to the pods of the unit's other nodes (over the unit LAN), "
                    + "ClusterIP and NodePort Services (iptables), and the node DNS for cluster.local that pods use. "
                    + "Turn it off (--no-node-network) where the agent shares its host's network with another (default: on).")
    boolean nodeNetwork;

    @Option(names = "--cluster-dns", defaultValue = NodeNetwork.DEFAULT_CLUSTER_DNS, paramLabel = "IP",
            description = "The node-local address the node DNS listens on and pods use as their nameserver; the agent puts it "
                    + "on a dummy interface kedge-dns (default: ${DEFAULT-VALUE}).")
    String clusterDns;

    @Option(names = "--hub-pod-address", paramLabel = "IP:PORT",
            description = "Where the hub serves the node's pods over HTTPS as kubernetes.default (the node serves them the "
                    + "default/kubernetes Service pointing here, so in-cluster clients keep reading while the cloud is "
                    + "unreachable). Default: the --cluster-dns address, port " + io.kedge.hub.PodEndpoint.DEFAULT_PORT
                    + ", with the node network on; '' turns it off.")
    String hubPodAddress;

    @Option(names = "--token", paramLabel = "ID.SECRET",
            description = "A bootstrap token (from `kedge token create`) to join with: the node asks for its own client "
                    + "certificate, and keeps it in DATA_DIR/kubeconfig. Needs --server and --ca-cert-hash; a node that "
                    + "has joined before uses its kubeconfig. The certificate is rotated at 70% of its lifetime; if it "
                    + "expires while the cloud is out of reach, the node joins again with this token.")
    String token;

    @Option(names = "--ca-cert-hash", paramLabel = "sha256:HEX",
            description = "The cluster CA's public key hash that --token joins with; the server must present that CA.")
    String caCertHash;

    @Override
    public Integer call() throws Exception {
        AgentConfig config;
        try {
            String node = nodeName != null ? nodeName : AgentConfig.defaultNodeName();
            Path credentials = token == null ? kubeconfig : joined(node);
            config = new AgentConfig(servers, node, unit, dataDir,
                    containerdSocket, credentials, cniConfDir, nodeIp, podManifests, kubeletPort, resolvConf, hubPort,
                    nodeNetwork ? NodeNetwork.on(clusterDns) : NodeNetwork.OFF, podAddress());
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            return 2;
        } catch (java.io.IOException e) {
            System.err.println("kedge agent: cannot join: " + e.getMessage());
            return 1;
        }
        Agent agent = new Agent(config);
        if (token != null && caCertHash != null) {
            // after a certificate expired during a long partition, the node joins again with the same token
            agent.withBootstrapToken(new BootstrapToken(token, CaCertHash.parse(caCertHash)));
        } else if (token != null) {
            System.err.println("kedge agent: --token without --ca-cert-hash: the node cannot join again by itself if its "
                    + "certificate expires while the cloud is out of reach");
        }
        agent.start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            agent.close();
            stopped.countDown();
        }, "shutdown"));
        stopped.await();
        return 0;
    }

    /** The pods' endpoint: as given, else beside the node DNS when the agent programs the node's network. */
    private java.net.InetSocketAddress podAddress() {
        if (hubPodAddress == null) {
            return nodeNetwork ? new java.net.InetSocketAddress(clusterDns, io.kedge.hub.PodEndpoint.DEFAULT_PORT) : null;
        }
        return hubPodAddress.isBlank() ? null : io.kedge.hub.PodEndpoint.parse(hubPodAddress.trim());
    }

    /** The kubeconfig of a node joined with --token: the one kept from an earlier join, else a new join's. */
    private Path joined(String node) throws java.io.IOException, InterruptedException {
        Path kept = TokenJoin.kubeconfigIn(dataDir.toAbsolutePath());
        if (java.nio.file.Files.isReadable(kept)) {
            return kept;
        }
        if (servers == null || servers.isEmpty()) {
            throw new IllegalArgumentException("--token needs --server, the cloud to join");
        }
        if (caCertHash == null) {
            throw new IllegalArgumentException("--token needs --ca-cert-hash sha256:... (printed by `kedge token create`), "
                    + "so that the node trusts only the right cluster");
        }
        return TokenJoin.join(servers.get(0), token, CaCertHash.parse(caCertHash), node, dataDir.toAbsolutePath(),
                java.time.Duration.ofMinutes(5));
    }
}
