package io.kedge.kubelet;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
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
import java.util.Map;
import java.util.Optional;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayDeque;
import java.util.Deque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code kedge agent}: the kubelet of one edge node. It registers the node and keeps its Lease and
 * status, writes the CNI config for the node's pod CIDR, and runs the pods bound to the node
 * through containerd. Only a bad configuration stops {@link #start}; an unreachable server or
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

    public Agent(AgentConfig config) {
        this.config = config;
    }

    public synchronized Agent start() throws IOException {
        Files.createDirectories(config.dataDir());
        MachineInfo machine = MachineInfo.read(config.dataDir());
        client = new KubernetesClientBuilder().withConfig(clientConfig()).build();
        opened.push(client);
        CriRuntime runtime = CriRuntime.connect(config.containerdSocket());
        opened.push(runtime);

        node = new NodeManager(client, NodeSettings.of(config.nodeName(), config.unit(), config.nodeIp(), config.dataDir(),
                config.cniConfDir(), config.podManifestDir()), machine, runtime).start();
        opened.push(node);

        VolumeManager volumes = new VolumeManager(client, config.dataDir(), node.allocatable(), node.nodeIp());
        EnvResolver env = new EnvResolver(client, node.allocatable(), node.nodeIp());
        startPods(runtime, volumes, env);
        startKubeletApi(runtime);
        startTunnel();
        LOG.info("agent for node {} (unit {}) started; data in {}, runtime at {}", config.nodeName(), config.unit(),
                config.dataDir(), config.containerdSocket());
        return this;
    }

    private void startPods(CriRuntime runtime, VolumeManager volumes, EnvResolver env) {
        PodSync pods = PodSync.create(client, config.nodeName(), config.dataDir(), runtime, volumes, env,
                config.resolvConf() != null ? config.resolvConf() : Path.of("/etc/resolv.conf"));
        opened.push(pods);
        pods.start();
    }

    private void startKubeletApi(CriRuntime runtime) throws IOException {
        IssuedCertificate serving = KubeletServingIdentity.loadOrIssue(config.dataDir().resolve("pki"), config.nodeName(),
                node.nodeIp());
        X509Certificate clusterCa = clusterCa(client.getConfiguration());
        try {
            KubeletApiServer api = KubeletApiServer.start(new InetSocketAddress(config.kubeletPort()), serving.key(),
                    new X509Certificate[] {serving.certificate()}, clusterCa,
                    new CriNodeContainers(runtime, new NodeStats(config.nodeName(), config.dataDir())));
            opened.push(api);
            kubeletApi = api;
            LOG.info("kubelet API listening on {}", api.address());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while starting the kubelet API", e);
        }
    }

    /**
     * The outbound tunnel that lets the cloud reach this node's kubelet API. It needs the node's
     * own certificate ({@code system:node:NAME}); with other credentials there is no tunnel.
     */
    private void startTunnel() throws IOException {
        Optional<Kubeconfig> kubeconfig = readKubeconfig();
        Optional<IssuedCertificate> identity = kubeconfig.flatMap(Kubeconfig::clientCertificate);
        String expected = "system:node:" + config.nodeName();
        if (identity.isEmpty() || !expected.equals(commonName(identity.get().certificate()))
                || kubeconfig.get().certificateAuthority().isEmpty()) {
            LOG.warn("no tunnel to the cloud: the agent's kubeconfig holds no client certificate for {}, so logs, exec "
                    + "and port-forward from the cloud cannot reach this node (mint one with `kedge kubeconfig --node {}`)",
                    expected, config.nodeName());
            return;
        }
        Path dir = Files.createDirectories(config.dataDir().resolve("pki").resolve("tunnel"));
        PemFiles.writeCertificate(dir.resolve("client.crt"), identity.get().certificate());
        PemFiles.writePrivateKey(dir.resolve("client.key"), identity.get().key());
        PemFiles.writeCertificate(dir.resolve("ca.crt"), kubeconfig.get().certificateAuthority().get());
        URI server = config.server() != null ? config.server() : URI.create(kubeconfig.get().server());
        TunnelClient tunnel = new TunnelClient(TunnelClientConfig.of(server, config.nodeName(), dir.resolve("client.crt"),
                dir.resolve("client.key"), dir.resolve("ca.crt"))
                .withTargets(Map.of(TunnelProtocol.KUBELET, new InetSocketAddress("127.0.0.1", kubeletApi.address().getPort()))));
        opened.push(tunnel);
        tunnel.start();
        LOG.info("tunnel to {} started for node {}", server, config.nodeName());
    }

    private Optional<Kubeconfig> readKubeconfig() {
        if (config.kubeconfig() == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Kubeconfig.read(config.kubeconfig()));
        } catch (IOException | RuntimeException e) {
            LOG.warn("cannot read {} for the tunnel's credentials: {}", config.kubeconfig(), e.getMessage());
            return Optional.empty();
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

    /** The CA that signs the cluster's client certificates: the one the kubeconfig trusts for the server. */
    private static X509Certificate clusterCa(Config config) throws IOException {
        if (config.getCaCertData() != null && !config.getCaCertData().isBlank()) {
            String pem = new String(Base64.getDecoder().decode(config.getCaCertData().trim()), StandardCharsets.UTF_8);
            return PemFiles.parseCertificate(pem, "the kubeconfig's certificate-authority-data");
        }
        if (config.getCaCertFile() != null) {
            return PemFiles.readCertificate(Path.of(config.getCaCertFile()));
        }
        throw new IOException("the kubeconfig names no certificate authority, so the kubelet API cannot check client "
                + "certificates; give the cluster's CA in certificate-authority or certificate-authority-data");
    }

    private Config clientConfig() throws IOException {
        Config base = config.kubeconfig() != null
                ? Config.fromKubeconfig(Files.readString(config.kubeconfig()))
                : Config.autoConfigure(null);
        if (config.server() == null) {
            return base;
        }
        return new ConfigBuilder(base).withMasterUrl(config.server().toString()).build();
    }

    /** Where the kubelet API listens. */
    public synchronized InetSocketAddress kubeletAddress() {
        if (kubeletApi == null) {
            throw new IllegalStateException("the agent has not been started");
        }
        return kubeletApi.address();
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
