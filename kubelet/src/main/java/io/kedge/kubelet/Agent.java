package io.kedge.kubelet;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.kedge.hub.EdgeHub;
import io.kedge.hub.HubConfig;
import io.kedge.hub.PodEndpoint;
import io.kedge.kubelet.certs.BootstrapToken;
import io.kedge.kubelet.certs.ClientCertificateRotation;
import io.kedge.kubelet.certs.NodeServingCertificate;
import io.kedge.kubelet.certs.RotationTiming;
import io.kedge.kubelet.join.TokenJoin;
import io.kedge.kubelet.cri.CriRuntime;
import io.kedge.kubelet.env.EnvResolver;
import io.kedge.kubelet.env.WatchedConfigObjects;
import io.kedge.kubelet.events.EventMessages;
import io.kedge.kubelet.events.EventReasons;
import io.kedge.kubelet.events.EventRecorder;
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
import io.kedge.pki.RenewableCertificate;
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
    private BootstrapToken bootstrap;
    /** The node's client certificate, rotated; null while the node authenticates otherwise. */
    private RenewableCertificate clientIdentity;
    private RenewableCertificate serving;

    public Agent(AgentConfig config) {
        this.config = config;
    }

    /** The token the node joined with: after its certificate expired during a partition, it joins again with it. */
    public synchronized Agent withBootstrapToken(BootstrapToken token) {
        this.bootstrap = token;
        return this;
    }

    public synchronized Agent start() throws IOException {
        Files.createDirectories(config.dataDir());
        MachineInfo machine = MachineInfo.read(config.dataDir());
        Kubeconfig kubeconfig = credentials();
        // the hub first: every component below reaches the cloud through it, and is answered from its cache offline
        hub = new EdgeHub(HubConfig.of(config.servers(), kubeconfig, config.nodeName(), config.dataDir().resolve("hub"),
                config.hubPort())).start();
        opened.push(hub);
        startClientRotation(kubeconfig);
        // no client-side retries: the hub is local, and answers at once from its cache or with why it cannot
        client = new KubernetesClientBuilder().withConfig(new ConfigBuilder(Config.empty())
                .withMasterUrl(hub.url().toString()).withRequestRetryBackoffLimit(0).build()).build();
        opened.push(client);
        EventRecorder events = EventRecorder.start(client, config.nodeName());
        opened.push(events);
        events.node(EventRecorder.NORMAL, EventReasons.STARTING, EventMessages.startingKubelet());
        CriRuntime runtime = CriRuntime.connect(config.containerdSocket());
        opened.push(runtime);

        node = new NodeManager(client, NodeSettings.of(config.nodeName(), config.unit(), config.nodeIp(), config.dataDir(),
                config.cniConfDir(), config.podManifestDir()), machine, runtime, hub::kubeletAlive)
                .onReadinessChange(events::nodeReadiness).start();
        opened.push(node);

        NodeNetworking network = new NodeNetworking();
        opened.push(network);
        network.startPeers(client, config.nodeName());
        if (config.network().enabled()) {
            network.startNetwork(client, config.nodeName(), node.nodeIp(), config.network(), resolvConf());
        }

        WatchedConfigObjects configObjects = new WatchedConfigObjects(client);
        opened.push(configObjects);
        VolumeManager volumes = new VolumeManager(client, config.dataDir(), node.allocatable(), node.nodeIp())
                .readingFrom(configObjects);
        EnvResolver env = new EnvResolver(client, node.allocatable(), node.nodeIp()).readingFrom(configObjects);
        startPods(runtime, volumes, env, events);
        startKubeletApi(runtime, kubeconfig, new AgentMetrics(events));
        if (config.hubPodAddress() != null) {
            // opened once the node's network holds the address; the serving certificate names kubernetes.default and
            // the Service's ClusterIP once the cloud has signed one (the node-local one until then)
            RenewableCertificate podServing = serving;
            hub.servePods(new PodEndpoint(config.hubPodAddress(), podServing::current));
        }
        List<TunnelClient> tunnels = startTunnel(kubeconfig);
        if (config.network().enabled() && !tunnels.isEmpty()) {
            network.relayCloudServices(hub, tunnels, config.network());
        }
        LOG.info("agent for node {} (unit {}) started; data in {}, runtime at {}", config.nodeName(), config.unit(),
                config.dataDir(), config.containerdSocket());
        return this;
    }

    private void startPods(CriRuntime runtime, VolumeManager volumes, EnvResolver env, EventRecorder events) {
        PodSync pods = PodSync.create(client, config.nodeName(), config.dataDir(), runtime, volumes, env, resolvConf(),
                config.network().enabled() ? config.network().clusterDns() : null, events);
        opened.push(pods);
        pods.start();
    }

    /** The node's own client certificate ({@code system:node:NAME}) is renewed at 70% of its lifetime. */
    private void startClientRotation(Kubeconfig kubeconfig) {
        Optional<IssuedCertificate> identity = kubeconfig.clientCertificate();
        if (identity.isEmpty() || !("system:node:" + config.nodeName()).equals(commonName(identity.get().certificate()))
                || kubeconfig.certificateAuthority().isEmpty()) {
            LOG.info("the node's credentials are no system:node:{} certificate, so the agent does not rotate them",
                    config.nodeName());
            return;
        }
        clientIdentity = new RenewableCertificate(identity.get());
        clientIdentity.onChange(hub::useIdentity);
        ClientCertificateRotation rotation = new ClientCertificateRotation(config.nodeName(), config.dataDir(),
                () -> cloudServers(kubeconfig), kubeconfig.certificateAuthority().get(), clientIdentity,
                hub.certificateStatus(), bootstrap, RotationTiming.DEFAULT, java.time.Clock.systemUTC()).start();
        opened.push(rotation);
    }

    /** The cloud servers, the one the hub talks to now first. */
    private List<URI> cloudServers(Kubeconfig kubeconfig) {
        List<URI> all = new java.util.ArrayList<>(config.servers().isEmpty() ? List.of(URI.create(kubeconfig.server()))
                : config.servers());
        URI active = hub.activeServer();
        all.remove(active);
        all.add(0, active);
        return all;
    }

    private void startKubeletApi(CriRuntime runtime, Kubeconfig kubeconfig, AgentMetrics metrics) throws IOException {
        IssuedCertificate nodeLocal = KubeletServingIdentity.loadOrIssue(config.dataDir().resolve("pki"), config.nodeName(),
                node.nodeIp());
        // the CA that signs the cluster's client certificates: the one the kubeconfig trusts for the server
        X509Certificate clusterCa = kubeconfig.certificateAuthority().orElseThrow(() -> new IOException(
                "the kubeconfig names no certificate authority, so the kubelet API cannot check client certificates; give "
                        + "the cluster's CA in certificate-authority or certificate-authority-data"));
        if (clientIdentity != null) {
            String clusterDns = config.network().enabled() ? config.network().clusterDns() : NodeNetwork.DEFAULT_CLUSTER_DNS;
            NodeServingCertificate cert = new NodeServingCertificate(config.nodeName(), node.nodeIp(), config.dataDir().resolve("pki"),
                    nodeLocal, clusterDns, clusterCa, () -> cloudServers(kubeconfig), clientIdentity::current,
                    RotationTiming.DEFAULT, java.time.Clock.systemUTC()).start();
            opened.push(cert);
            serving = cert.certificate();
        } else {
            serving = new RenewableCertificate(nodeLocal);
        }
        try {
            KubeletApiServer api = KubeletApiServer.start(new InetSocketAddress(config.kubeletPort()), serving, clusterCa,
                    new CriNodeContainers(runtime, new NodeStats(config.nodeName(), config.dataDir()),
                            () -> hub.metricsText() + metrics.text()));
            opened.push(api);
            kubeletApi = api;
            LOG.info("kubelet API listening on {}", api.address());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while starting the kubelet API", e);
        }
    }

    /**
     * The node's serving certificate: cluster-signed for its name, InternalIPs and the
     * {@code kubernetes.default} names once the cloud signed one, the node-local one until then.
     * Servers read it for each new connection.
     */
    public synchronized RenewableCertificate servingCertificate() {
        if (serving == null) {
            throw new IllegalStateException("the agent has not been started");
        }
        return serving;
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
        PemFiles.writeCertificate(dir.resolve("ca.crt"), kubeconfig.certificateAuthority().get());
        if (clientIdentity != null) {
            // the tunnel reads its files at each connection, so a rotated certificate reaches it there
            clientIdentity.onChange(this::writeTunnelIdentity);
        }
        writeTunnelIdentity(clientIdentity != null ? clientIdentity.current() : identity.get());
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

    private void writeTunnelIdentity(IssuedCertificate next) {
        Path dir = config.dataDir().resolve("pki").resolve("tunnel");
        try {
            PemFiles.writePrivateKey(dir.resolve("client.key"), next.key());
            PemFiles.writeCertificate(dir.resolve("client.crt"), next.certificate());
        } catch (IOException e) {
            LOG.error("the tunnel keeps the node's old certificate: cannot write {}: {}", dir, e.getMessage());
        }
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
        Kubeconfig given;
        try {
            given = Kubeconfig.read(file);
        } catch (RuntimeException e) {
            throw new IOException("cannot read the node's credentials from " + file + ": " + e.getMessage(), e);
        }
        return rotatedSince(given);
    }

    /**
     * The kubeconfig that rotation keeps in the data dir, when it holds a later certificate for the
     * same node and cluster than {@code given}: after a rotation the node restarts with the new one.
     */
    private Kubeconfig rotatedSince(Kubeconfig given) {
        Path kept = TokenJoin.kubeconfigIn(config.dataDir());
        if (!Files.isReadable(kept) || given.clientCertificate().isEmpty() || given.certificateAuthority().isEmpty()) {
            return given;
        }
        try {
            Kubeconfig rotated = Kubeconfig.read(kept);
            X509Certificate mine = given.clientCertificate().get().certificate();
            X509Certificate theirs = rotated.clientCertificate().map(IssuedCertificate::certificate).orElse(null);
            if (theirs != null && rotated.certificateAuthority().equals(given.certificateAuthority())
                    && commonName(theirs).equals(commonName(mine)) && theirs.getNotAfter().after(mine.getNotAfter())) {
                LOG.info("using the node's rotated credentials in {} (valid until {})", kept, theirs.getNotAfter().toInstant());
                return rotated;
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("ignoring {}: {}", kept, e.getMessage());
        }
        return given;
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
