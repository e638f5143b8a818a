package io.kedge.kubelet;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.kedge.hub.EdgeHub;
import io.kedge.hub.HubConfig;
import io.kedge.hub.PodEndpoint;
import io.kedge.kubelet.cri.CriRuntime;
import io.kedge.kubelet.env.EnvResolver;
import io.kedge.kubelet.node.MachineInfo;
import io.kedge.kubelet.node.NodeManager;
import io.kedge.kubelet.node.NodeSettings;
import io.kedge.kubelet.pod.PodSync;
import io.kedge.kubelet.server.CriNodeContainers;
import io.kedge.kubelet.server.KubeletApiServer;
import io.kedge.kubelet.server.KubeletServingIdentity;
import io.kedge.kubelet.server.NodeStats;
import io.kedge.kubelet.volume.VolumeManager;
import io.kedge.pki.IssuedCertificate;
import io.kedge.pki.Kubeconfig;
import io.kedge.pki.PemFiles;
import io.kedge.tunnel.TunnelClient;
import io.kedge.tunnel.TunnelClientConfig;
import io.kedge.tunnel.TunnelProtocol;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayDeque;
import java.util.Deque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code kedge agent}: the kubelet of one edge node. It starts the node's hub first, through which
 * every component reaches the cloud (and which answers from its cache while the cloud is
 * unreachable, and renews the node's Lease while the kubelet is alive); then it registers the node
 * and keeps its status, writes the CNI config for the node's pod CIDR, and runs the pods bound to
 * the node through containerd. Only a bad configuration stops {@link #start}; an unreachable server or
 * runtime is retried, and shows in the node's Ready condition.
 */
public final class Agent implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Agent.class);

    private final AgentConfig config;
    /** What start() opened, closed in reverse order. */
    private final Deque<AutoCloseable> opened = new ArrayDeque<>();
    private KubernetesClient client;
    private NodeManager node;
    private KubeletApiServer kubeletApi;
    private EdgeHub hub;

    public Agent(AgentConfig config) {
        this.config = config;
    }

    public synchronized Agent start() throws IOException {
        Files.createDirectories(config.dataDir());
        MachineInfo machine = MachineInfo.read(config.dataDir());
        Kubeconfig kubeconfig = credentials();
        // the hub first: every component below reaches the cloud through it, and is answered from its cache offline
        hub = new EdgeHub(HubConfig.of(config.servers(), kubeconfig, config.nodeName(), config.dataDir().resolve("hub"),
                config.hubPort())).start();
        opened.push(hub);
        // no client-side retries: the hub is local, and answers at once from its cache or with why it cannot
        client = new KubernetesClientBuilder().withConfig(new ConfigBuilder(Config.empty())
                .withMasterUrl(hub.url().toString()).withRequestRetryBackoffLimit(0).build()).build();
        opened.push(client);
        CriRuntime runtime = CriRuntime.connect(config.containerdSocket());
        opened.push(runtime);

        node = new NodeManager(client, NodeSettings.of(config.nodeName(), config.unit(), config.nodeIp(), config.dataDir(),
                config.cniConfDir(), config.podManifestDir()), machine, runtime, hub::kubeletAlive).start();
        opened.push(node);

        NodeNetworking network = new NodeNetworking();
        opened.push(network);
        network.startPeers(client, config.nodeName());
        if (config.network().enabled()) {
            network.startNetwork(client, config.nodeName(), node.nodeIp(), config.network(), resolvConf());
        }

        VolumeManager volumes = new VolumeManager(client, config.dataDir(), node.allocatable(), node.nodeIp());
        EnvResolver env = new EnvResolver(client, node.allocatable(), node.nodeIp());
        startPods(runtime, volumes, env);
        IssuedCertificate serving = startKubeletApi(runtime, kubeconfig);
        if (config.hubPodAddress() != null) {
            // opened once the node's network holds the address; until the cluster-signed serving certificate for
            // kubernetes.default is wired in, the kubelet's own serves
            hub.servePods(new PodEndpoint(config.hubPodAddress(), () -> serving));
        }
        List<TunnelClient> tunnels = startTunnel(kubeconfig);
        if (config.network().enabled() && !tunnels.isEmpty()) {
            network.relayCloudServices(hub, tunnels, config.network());
        }
        LOG.info("agent for node {} (unit {}) started; data in {}, runtime at {}", config.nodeName(), config.unit(),
                config.dataDir(), config.containerdSocket());
        return this;
    }

    private void startPods(CriRuntime runtime, VolumeManager volumes, EnvResolver env) {
        PodSync pods = PodSync.create(client, config.nodeName(), config.dataDir(), runtime, volumes, env, resolvConf(),
                config.network().enabled() ? config.network().clusterDns() : null);
        opened.push(pods);
        pods.start();
    }

    private IssuedCertificate startKubeletApi(CriRuntime runtime, Kubeconfig kubeconfig) throws IOException {
        IssuedCertificate serving = KubeletServingIdentity.loadOrIssue(config.dataDir().resolve("pki"), config.nodeName(),
                node.nodeIp());
        // the CA that signs the cluster's client certificates: the one the kubeconfig trusts for the server
        X509Certificate clusterCa = kubeconfig.certificateAuthority().orElseThrow(() -> new IOException(
                "the kubeconfig names no certificate authority, so the kubelet API cannot check client certificates; give "
                        + "the cluster's CA in certificate-authority or certificate-authority-data"));
        try {
            KubeletApiServer api = KubeletApiServer.start(new InetSocketAddress(config.kubeletPort()), serving.key(),
                    new X509Certificate[] {serving.certificate()}, clusterCa,
                    new CriNodeContainers(runtime, new NodeStats(config.nodeName(), config.dataDir()), hub::metricsText));
            opened.push(api);
            kubeletApi = api;
            LOG.info("kubelet API listening on {}", api.address());
            return serving;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while starting the kubelet API", e);
        }
    }

    /**
     * The outbound tunnel that lets the cloud reach this node's kubelet API. It needs the node's
     * own certificate ({@code system:node:NAME}); with other credentials there is no tunnel.
     */
    private Path resolvConf() {
        return config.resolvConf() != null ? config.resolvConf() : Path.of("/etc/resolv.conf");
    }

    private List<TunnelClient> startTunnel(Kubeconfig kubeconfig) throws IOException {
        Optional<IssuedCertificate> identity = kubeconfig.clientCertificate();
        String expected = "system:node:" + config.nodeName();
        if (identity.isEmpty() || !expected.equals(commonName(identity.get().certificate()))
                || kubeconfig.certificateAuthority().isEmpty()) {
            LOG.warn("no tunnel to the cloud: the agent's kubeconfig holds no client certificate for {}, so logs, exec "
                    + "and port-forward from the cloud cannot reach this node (mint one with `kedge kubeconfig --node {}`)",
                    expected, config.nodeName());
            return List.of();
        }
        Path dir = Files.createDirectories(config.dataDir().resolve("pki").resolve("tunnel"));
        PemFiles.writeCertificate(dir.resolve("client.crt"), identity.get().certificate());
        PemFiles.writePrivateKey(dir.resolve("client.key"), identity.get().key());
        PemFiles.writeCertificate(dir.resolve("ca.crt"), kubeconfig.certificateAuthority().get());
        // the tunnel is no API call: it goes straight to each cloud server, since a request for this node's
        // logs or exec may reach any of them, and each can only use a tunnel made to itself
        List<URI> servers = config.servers().isEmpty() ? List.of(URI.create(kubeconfig.server())) : config.servers();
        List<TunnelClient> tunnels = new java.util.ArrayList<>();
        for (URI server : servers) {
            TunnelClient tunnel = new TunnelClient(TunnelClientConfig.of(server, config.nodeName(), dir.resolve("client.crt"),
                    dir.resolve("client.key"), dir.resolve("ca.crt"))
                    .withTargets(Map.of(TunnelProtocol.KUBELET, new InetSocketAddress("127.0.0.1", kubeletApi.address().getPort()))));
            opened.push(tunnel);
            tunnel.start();
            tunnels.add(tunnel);
            LOG.info("tunnel to {} started for node {}", server, config.nodeName());
        }
        return tunnels;
    }

    /** The node's credentials, which the hub uses towards the cloud: --kubeconfig, else $KUBECONFIG, else ~/.kube/config. */
    private Kubeconfig credentials() throws IOException {
        Path file = config.kubeconfig();
        if (file == null) {
            String env = System.getenv("KUBECONFIG");
            file = env != null && !env.isBlank() ? Path.of(env.split(java.io.File.pathSeparator)[0])
                    : Path.of(System.getProperty("user.home"), ".kube", "config");
        }
        if (!Files.isReadable(file)) {
            throw new IOException("the node's credentials are needed to reach the cloud, but " + file
                    + " cannot be read; give them with --kubeconfig (mint one with `kedge kubeconfig --node "
                    + config.nodeName() + "`)");
        }
        try {
            return Kubeconfig.read(file);
        } catch (RuntimeException e) {
            throw new IOException("cannot read the node's credentials from " + file + ": " + e.getMessage(), e);
        }
    }

    private static String commonName(X509Certificate certificate) {
        try {
            return new LdapName(certificate.getSubjectX500Principal().getName()).getRdns().stream()
                    .filter(r -> r.getType().equalsIgnoreCase("CN")).map(r -> r.getValue().toString())
                    .findFirst().orElse("");
        } catch (InvalidNameException e) {
            return "";
        }
    }

    /** Where the kubelet API listens. */
    public synchronized InetSocketAddress kubeletAddress() {
        if (kubeletApi == null) {
            throw new IllegalStateException("the agent has not been started");
        }
        return kubeletApi.address();
    }

    /** The node's hub, which every component of the agent reaches the cloud through. */
    public synchronized EdgeHub hub() {
        if (hub == null) {
            throw new IllegalStateException("the agent has not been started");
        }
        return hub;
    }

    /** The agent's API client; for tests and for components started beside the agent. */
    public synchronized KubernetesClient client() {
        if (client == null) {
            throw new IllegalStateException("the agent has not been started");
        }
        return client;
    }

    @Override
    public synchronized void close() {
        while (!opened.isEmpty()) {
            AutoCloseable c = opened.pop();
            try {
                c.close();
            } catch (Exception e) {
                LOG.warn("closing {}: {}", c.getClass().getSimpleName(), e.toString());
            }
        }
        LOG.info("agent for node {} stopped", config.nodeName());
    }
}
