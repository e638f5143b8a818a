package io.kedge.kubelet.certs;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.kedge.controllers.certificates.CsrSigningController;
import io.kedge.controllers.certificates.NodeCsrApprover;
import io.kedge.controllers.framework.ControllerContext;
import io.kedge.controllers.framework.ControllerManager;
import io.kedge.controllers.testing.TestServer;
import io.kedge.hub.EdgeHub;
import io.kedge.kubelet.Agent;
import io.kedge.kubelet.AgentConfig;
import io.kedge.hub.HubConfig;
import io.kedge.kubelet.join.TokenJoin;
import io.kedge.pki.CaCertHash;
import io.kedge.pki.CertificateAuthority;
import io.kedge.pki.IssuedCertificate;
import io.kedge.pki.Kubeconfig;
import io.kedge.pki.RenewableCertificate;
import io.kedge.pki.KeyPurpose;
import io.kedge.pki.SubjectAltNames;
import io.kedge.pki.TlsMaterial;
import io.kedge.kubelet.server.KubeletApiServer;
import io.kedge.kubelet.server.KubeletServingIdentity;
import io.kedge.kubelet.server.NodeContainers;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The node's client certificate renewed against a real kedge server whose CSR approver and signer
 * run in this JVM: rotation before expiry while the hub keeps serving, and recovery after expiry.
 */
class CertificateRotationTest {
    static final RotationTiming FAST = new RotationTiming(Duration.ofMillis(200), Duration.ofSeconds(1), Duration.ofSeconds(30));
    private static TestServer server;
    private static KubernetesClient admin;
    private static ControllerManager controllers;
    private static CertificateAuthority ca;
    private static URI cloud;
    private final List<AutoCloseable> opened = new CopyOnWriteArrayList<>();

    @TempDir
    Path dir;

    @BeforeAll
    static void startCloud() throws Exception {
        server = TestServer.start();
        admin = server.client();
        ca = CertificateAuthority.load(server.dataDir().resolve("pki"));
        cloud = URI.create(admin.getMasterUrl().toString().replaceAll("/$", ""));
        controllers = new ControllerManager(admin, "kedge-controllers", "cert-rotation-test",
                List.of(NodeCsrApprover::create, CsrSigningController::create),
                ControllerContext.Options.defaults().withClusterSigning(new ControllerContext.ClusterSigning(ca, Duration.ofMinutes(10))),
                () -> { });
        controllers.start();
    }

    @AfterAll
    static void stopCloud() {
        controllers.close();
        admin.close();
        server.close();
    }

    @AfterEach
    void close() throws Exception {
        for (int i = opened.size() - 1; i >= 0; i--) {
            opened.get(i).close();
        }
    }

    private <T extends AutoCloseable> T opened(T c) {
        opened.add(c);
        return c;
    }

    private EdgeHub hub(String node, IssuedCertificate identity) throws Exception {
        return opened(new EdgeHub(new HubConfig(List.of(cloud), identity, null, ca.certificate(), node, dir.resolve("hub"), 0,
                Duration.ofMillis(200), Duration.ofSeconds(5), Duration.ofSeconds(40))).start());
    }

    private ClientCertificateRotation rotation(String node, RenewableCertificate identity, EdgeHub hub, BootstrapToken token) {
        return opened(new ClientCertificateRotation(node, dir, () -> List.of(cloud), ca.certificate(), identity,
                hub.certificateStatus(), token, FAST, Clock.systemUTC()).start());
    }

    private static IssuedCertificate nodeCertificate(String node, Duration validity) {
        return ca.issueClient("system:node:" + node, List.of("system:nodes"), validity);
    }

    private static void awaitExpiry(X509Certificate certificate) throws Exception {
        Await.until("the certificate has expired", () -> Instant.now().isAfter(certificate.getNotAfter().toInstant()));
    }

    /** Who the cloud sees behind the hub: a write the hub cannot answer itself, so it must reach the cloud now. */
    private static HttpResponse<String> whoAmI(EdgeHub hub) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(hub.url().resolve("/apis/authentication.k8s.io/v1/selfsubjectreviews"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"apiVersion\":\"authentication.k8s.io/v1\",\"kind\":\"SelfSubjectReview\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private static double metric(EdgeHub hub, String name) {
        return hub.metricsText().lines().filter(l -> l.startsWith(name + " ")).map(l -> Double.parseDouble(l.split(" ")[1]))
                .findFirst().orElse(-1.0);
    }

    @Test
    void theClientCertificateIsRotatedBeforeItExpiresAndTheHubKeepsItsWatchAndReachesTheCloudWithTheNewOne() throws Exception {
        // long enough that a slow machine still rotates it in time, short enough that the test then sees it expire
        IssuedCertificate initial = nodeCertificate("rot-1", Duration.ofSeconds(30));
        EdgeHub hub = hub("rot-1", initial);
        List<String> seen = new CopyOnWriteArrayList<>();
        KubernetesClient local = opened(new KubernetesClientBuilder().withConfig(new ConfigBuilder(Config.empty())
                .withMasterUrl(hub.url().toString()).build()).build());
        Watch watch = opened(local.pods().inAnyNamespace().withField("spec.nodeName", "rot-1").watch(new Watcher<Pod>() {
            @Override
            public void eventReceived(Action action, Pod pod) {
                seen.add(action + " " + pod.getMetadata().getName());
            }

            @Override
            public void onClose(WatcherException cause) {
            }
        }));
        RenewableCertificate identity = new RenewableCertificate(initial);
        identity.onChange(hub::useIdentity);
        rotation("rot-1", identity, hub, null);

        Await.until("the node has a new client certificate", () -> identity.current() != initial);
        X509Certificate rotated = identity.current().certificate();
        assertThat(ca.issued(rotated)).isTrue();
        assertThat(rotated.getSubjectX500Principal().getName()).contains("CN=system:node:rot-1").contains("O=system:nodes");
        assertThat(rotated.getNotAfter()).isAfter(initial.certificate().getNotAfter());
        assertThat(Instant.now()).as("rotated before the old one expired").isBefore(initial.certificate().getNotAfter().toInstant());
        Path kubeconfig = TokenJoin.kubeconfigIn(dir);
        assertThat(Kubeconfig.read(kubeconfig).clientCertificate().orElseThrow().certificate()).isEqualTo(rotated);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(kubeconfig))).isEqualTo("rw-------");
        assertThat(metric(hub, "kedge_hub_client_certificate_not_after_seconds"))
                .isEqualTo(rotated.getNotAfter().toInstant().getEpochSecond(), org.assertj.core.data.Offset.offset(1.0));
        assertThat(metric(hub, "kedge_hub_client_certificate_last_rotation_seconds")).isPositive();

        awaitExpiry(initial.certificate());
        HttpClient withOld = HttpClient.newBuilder().sslContext(TlsMaterial.context(initial, ca.certificate())).build();
        boolean oldRefused;
        try {
            oldRefused = withOld.send(HttpRequest.newBuilder(URI.create(cloud + "/api/v1/nodes/rot-1")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode() == 401;
        } catch (java.io.IOException refusedInTheHandshake) {
            oldRefused = true;
        }
        assertThat(oldRefused).as("the cloud refuses the expired certificate").isTrue();
        HttpResponse<String> who = Await.until("the hub reaches the cloud", () -> {
            HttpResponse<String> r = whoAmI(hub);
            return r.statusCode() == 201 ? r : null;
        });
        assertThat(who.body()).contains("\"username\":\"system:node:rot-1\"");
        admin.pods().inNamespace("default").resource(new PodBuilder().withNewMetadata().withName("after-rotation").endMetadata()
                .withNewSpec().withNodeName("rot-1").addNewContainer().withName("c").withImage("busybox").endContainer().endSpec()
                .build()).createOr(io.fabric8.kubernetes.client.dsl.NonDeletingOperation::update);
        Await.until("the watch opened before the rotation still delivers", () -> seen.contains("ADDED after-rotation"));
    }

    @Test
    void anExpiredCertificateIsReplacedByJoiningAgainWithTheBootstrapToken() throws Exception {
        admin.secrets().inNamespace("kube-system").resource(new SecretBuilder().withNewMetadata().withName("bootstrap-token-rjoin1")
                .withNamespace("kube-system").endMetadata().withType("bootstrap.kubernetes.io/token")
                .withStringData(Map.of("token-id", "rjoin1", "token-secret", "0123456789abcdef",
                        "expiration", Instant.now().plus(Duration.ofHours(1)).toString(), "usage-bootstrap-authentication", "true"))
                .build()).createOr(io.fabric8.kubernetes.client.dsl.NonDeletingOperation::update);
        IssuedCertificate expired = nodeCertificate("exp-1", Duration.ofSeconds(1));
        awaitExpiry(expired.certificate());
        EdgeHub hub = hub("exp-1", expired);
        RenewableCertificate identity = new RenewableCertificate(expired);
        identity.onChange(hub::useIdentity);
        rotation("exp-1", identity, hub, new BootstrapToken("rjoin1.0123456789abcdef", CaCertHash.of(ca.certificate())));

        Await.until("the node joined again", () -> identity.current() != expired);
        X509Certificate joined = identity.current().certificate();
        assertThat(joined.getSubjectX500Principal().getName()).contains("CN=system:node:exp-1");
        assertThat(joined.getNotAfter().toInstant()).isAfter(Instant.now());
        assertThat(Kubeconfig.read(TokenJoin.kubeconfigIn(dir)).clientCertificate().orElseThrow().certificate()).isEqualTo(joined);
        assertThat(hub.certificateStatus().actionNeeded()).isEmpty();
        HttpResponse<String> who = Await.until("the hub reaches the cloud as the node", () -> {
            HttpResponse<String> r = whoAmI(hub);
            return r.statusCode() == 201 ? r : null;
        });
        assertThat(who.body()).contains("\"username\":\"system:node:exp-1\"");
    }

    @Test
    void anExpiredCertificateWithoutATokenSaysWhenItExpiredAndWhatAnOperatorMustDo() throws Exception {
        IssuedCertificate expired = nodeCertificate("exp-2", Duration.ofSeconds(1));
        awaitExpiry(expired.certificate());
        EdgeHub hub = hub("exp-2", expired);
        rotation("exp-2", new RenewableCertificate(expired), hub, null);

        String message = Await.until("the hub says what to do", () -> hub.certificateStatus().actionNeeded().orElse(null));
        assertThat(message).contains("expired at " + expired.certificate().getNotAfter().toInstant())
                .contains("kedge token create").contains("--token").contains("--ca-cert-hash");
        assertThat(hub.metricsText()).contains("kedge_hub_client_certificate_action_needed{message=\"the node's client certificate expired at");
    }

    @Test
    void aCertificateTheCloudRefusesBeforeItsExpiryIsReportedAsRefused() throws Exception {
        CertificateAuthority stranger = CertificateAuthority.create("not-the-cluster");
        IssuedCertificate foreign = stranger.issueClient("system:node:exp-3", List.of("system:nodes"), Duration.ofMinutes(1));
        EdgeHub hub = hub("exp-3", foreign);
        rotation("exp-3", new RenewableCertificate(foreign), hub, null);

        String message = Await.until("the hub says what to do", () -> hub.certificateStatus().actionNeeded().orElse(null));
        assertThat(message).contains("refuses").contains("kedge token create");
    }

    /** The certificate a new TLS connection to {@code api} is served with. */
    private static X509Certificate presented(KubeletApiServer api) throws Exception {
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, new TrustManager[] {new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
                // the test looks at what is presented, trust is not the question
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        }}, null);
        try (SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket("127.0.0.1", api.address().getPort())) {
            socket.startHandshake();
            return (X509Certificate) socket.getSession().getPeerCertificates()[0];
        }
    }

    @Test
    void aClusterSignedServingCertificateForTheNodesNamesAndAddressesReplacesTheNodeLocalOneForNewConnections() throws Exception {
        // createOr: on a loaded machine the client may retry a create that went through
        admin.nodes().resource(new NodeBuilder().withNewMetadata().withName("srv-1").endMetadata().build())
                .createOr(io.fabric8.kubernetes.client.dsl.NonDeletingOperation::update);
        admin.nodes().withName("srv-1").editStatus(n -> new NodeBuilder(n).withNewStatus().addNewAddress().withType("InternalIP")
                .withAddress("10.9.8.7").endAddress().endStatus().build());
        String kubernetesIp = admin.services().inNamespace("default").withName("kubernetes").get().getSpec().getClusterIP();
        IssuedCertificate client = nodeCertificate("srv-1", Duration.ofDays(1));
        IssuedCertificate nodeLocal = KubeletServingIdentity.loadOrIssue(dir.resolve("pki"), "srv-1", "10.9.8.7");
        NodeServingCertificate serving = opened(new NodeServingCertificate("srv-1", "10.9.8.7", dir.resolve("pki"), nodeLocal, "169.254.20.10",
                ca.certificate(), () -> List.of(cloud), () -> client, FAST, Clock.systemUTC()));
        NodeContainers none = (NodeContainers) java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {NodeContainers.class}, (proxy, method, args) -> {
                    throw new UnsupportedOperationException("no containers in this test");
                });
        KubeletApiServer api = opened(KubeletApiServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                serving.certificate(), ca.certificate(), none));
        assertThat(serving.clusterSigned()).isFalse();
        assertThat(presented(api)).as("until the cluster signs one, the node-local one serves").isEqualTo(nodeLocal.certificate());

        serving.start();
        Await.until("the cluster signed a serving certificate", serving::clusterSigned);
        X509Certificate signed = serving.certificate().current().certificate();
        assertThat(ca.issued(signed)).isTrue();
        assertThat(signed.getSubjectX500Principal().getName()).contains("CN=system:node:srv-1").contains("O=system:nodes");
        assertThat(signed.getExtendedKeyUsage()).containsExactly(KeyPurpose.SERVER_AUTH.oid());
        SubjectAltNames names = SubjectAltNames.of(signed);
        assertThat(names.dnsNames()).containsExactlyInAnyOrder("srv-1", "kubernetes", "kubernetes.default",
                "kubernetes.default.svc", "kubernetes.default.svc.cluster.local");
        assertThat(names.ipAddresses()).containsExactlyInAnyOrder("10.9.8.7", kubernetesIp, "169.254.20.10");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("pki")
                .resolve(NodeServingCertificate.KEY_FILE)))).isEqualTo("rw-------");
        assertThat(presented(api)).as("a new connection (to %s, the cloud on %s) gets the new certificate", api.address(), cloud).isEqualTo(signed);

        NodeServingCertificate afterRestart = opened(new NodeServingCertificate("srv-1", "10.9.8.7", dir.resolve("pki"), nodeLocal,
                "169.254.20.10", ca.certificate(), () -> List.of(cloud), () -> client, FAST, Clock.systemUTC()));
        assertThat(afterRestart.clusterSigned()).isTrue();
        assertThat(afterRestart.certificate().current().certificate()).isEqualTo(signed);
    }

    @Test
    void aNodeWhoseAddressChangedAsksForAServingCertificateThatNamesTheNewOne() throws Exception {
        admin.nodes().resource(new NodeBuilder().withNewMetadata().withName("moved-1").endMetadata().build())
                .createOr(io.fabric8.kubernetes.client.dsl.NonDeletingOperation::update);
        setInternalIp("moved-1", "10.9.7.1");
        IssuedCertificate client = nodeCertificate("moved-1", Duration.ofDays(1));
        IssuedCertificate nodeLocal = KubeletServingIdentity.loadOrIssue(dir.resolve("pki"), "moved-1", "10.9.7.1");
        NodeServingCertificate before = opened(new NodeServingCertificate("moved-1", "10.9.7.1", dir.resolve("pki"), nodeLocal,
                "169.254.20.10", ca.certificate(), () -> List.of(cloud), () -> client, FAST, Clock.systemUTC())).start();
        Await.until("the cluster signed a serving certificate", before::clusterSigned);
        before.close();

        // the agent starts again on a new address; the Node's status names it a little later
        IssuedCertificate movedLocal = KubeletServingIdentity.loadOrIssue(dir.resolve("pki"), "moved-1", "10.9.7.2");
        NodeServingCertificate after = opened(new NodeServingCertificate("moved-1", "10.9.7.2", dir.resolve("pki"), movedLocal,
                "169.254.20.10", ca.certificate(), () -> List.of(cloud), () -> client, FAST, Clock.systemUTC()));
        assertThat(after.clusterSigned()).as("the kept certificate names the old address only").isFalse();
        assertThat(after.certificate().current().certificate()).isEqualTo(movedLocal.certificate());
        after.start();
        setInternalIp("moved-1", "10.9.7.2");
        Await.until("a serving certificate for the new address", after::clusterSigned);
        assertThat(SubjectAltNames.of(after.certificate().current().certificate()).ipAddresses())
                .contains("10.9.7.2").doesNotContain("10.9.7.1");
    }

    private static void setInternalIp(String node, String ip) {
        admin.nodes().withName(node).editStatus(n -> new NodeBuilder(n).withNewStatus().addNewAddress().withType("InternalIP")
                .withAddress(ip).endAddress().endStatus().build());
    }

    @Test
    void anAgentWithItsOwnNodeCertificateServesItsKubeletApiWithOneTheClusterSigned() throws Exception {
        Path kubeconfig = dir.resolve("node.kubeconfig");
        Kubeconfig.withClientCertificate(cloud.toString(), ca.certificate(), nodeCertificate("agent-c", Duration.ofDays(1)))
                .write(kubeconfig);
        AgentConfig config = new AgentConfig(List.of(), "agent-c", "west", dir.resolve("data"), dir.resolve("no-containerd.sock"),
                kubeconfig, dir.resolve("cni"), "192.0.2.9", null, 0, null, 0);
        try (Agent agent = new Agent(config).start()) {
            // the certificate is installed before the kubelet API's TLS context is rebuilt around it,
            // so what counts is what a new connection that trusts only the cluster CA is shown
            SSLContext tls = TlsMaterial.context(null, ca.certificate());
            X509Certificate served = Await.until("the kubelet API serves a cluster-signed certificate", () -> {
                try (SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket("127.0.0.1",
                        agent.kubeletAddress().getPort())) {
                    socket.startHandshake();
                    return (X509Certificate) socket.getSession().getPeerCertificates()[0];
                } catch (javax.net.ssl.SSLHandshakeException stillNodeLocal) {
                    return null;
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            assertThat(ca.issued(served)).isTrue();
            assertThat(served).as("the agent's serving certificate is the one served")
                    .isEqualTo(agent.servingCertificate().current().certificate());
            assertThat(SubjectAltNames.of(served).ipAddresses()).contains("192.0.2.9", "169.254.20.10");
        }
    }

    @Test
    void whileTheCloudIsUnreachableRotationIsRetriedUntilItIsBackWithoutAskingAPersonForHelp() throws Exception {
        IssuedCertificate initial = nodeCertificate("away-1", Duration.ofMinutes(1));
        EdgeHub hub = hub("away-1", initial);
        int deadPort;
        try (java.net.ServerSocket closed = new java.net.ServerSocket(0)) {
            deadPort = closed.getLocalPort();
        }
        URI unreachable = URI.create("https://127.0.0.1:" + deadPort);
        java.util.concurrent.atomic.AtomicReference<List<URI>> servers = new java.util.concurrent.atomic.AtomicReference<>(
                List.of(unreachable));
        java.util.concurrent.atomic.AtomicInteger asked = new java.util.concurrent.atomic.AtomicInteger();
        RenewableCertificate identity = new RenewableCertificate(initial);
        identity.onChange(hub::useIdentity);
        opened(new ClientCertificateRotation("away-1", dir, () -> {
            asked.incrementAndGet();
            return servers.get();
        }, ca.certificate(), identity, hub.certificateStatus(), null, FAST, Clock.systemUTC()).start());

        Await.until("several attempts against the unreachable cloud", () -> asked.get() >= 3);
        assertThat(identity.current()).isSameAs(initial);
        assertThat(hub.certificateStatus().actionNeeded()).as("a partition is no reason to call a person").isEmpty();
        servers.set(List.of(cloud));
        Await.until("the node rotated once the cloud is back", () -> identity.current() != initial);
        // replace() runs its listeners before it installs the new identity, so the hub has taken it already
        assertThat(hub.certificateStatus().lastRotation()).isPresent();
    }
}
