package io.kedge.cli;

import io.kedge.kubelet.Agent;
import io.kedge.kubelet.AgentConfig;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code kedge agent}: the edge node's kubelet. */
@Command(name = "agent", mixinStandardHelpOptions = true,
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

    @Override
    public Integer call() throws Exception {
        AgentConfig config;
        try {
            config = new AgentConfig(servers, nodeName != null ? nodeName : AgentConfig.defaultNodeName(), unit, dataDir,
                    containerdSocket, kubeconfig, cniConfDir, nodeIp, podManifests, kubeletPort, resolvConf, hubPort);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            return 2;
        }
        Agent agent = new Agent(config).start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            agent.close();
            stopped.countDown();
        }, "shutdown"));
        stopped.await();
        return 0;
    }
}
