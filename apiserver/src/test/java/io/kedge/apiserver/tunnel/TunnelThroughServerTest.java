package io.kedge.apiserver.tunnel;

import static org.assertj.core.api.Assertions.assertThat;

import io.kedge.apiserver.KedgeServer;
import io.kedge.apiserver.ServerConfig;
import io.kedge.pki.CertificateAuthority;
import io.kedge.pki.IssuedCertificate;
import io.kedge.pki.Kubeconfig;
import io.kedge.pki.TlsMaterial;
import io.kedge.tunnel.TunnelClient;
import io.kedge.tunnel.TunnelClientConfig;
import io.kedge.tunnel.TunnelProtocol;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A real server, a real tunnel client for node edge-1, and a stand-in kubelet behind it: the API's
 * pod streams and node proxy reach the kubelet only through the tunnel.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TunnelThroughServerTest {
    private Path dir;
    private KedgeServer server;
    private CertificateAuthority ca;
    private FakeKubelet kubelet;
    private TunnelClient agent;
    private IssuedCertificate admin;
    private HttpClient http;

    @BeforeAll
    void start() throws Exception {
        dir = Files.createTempDirectory("kedge-tunnel-test");
        server = new KedgeServer(new ServerConfig(dir, "127.0.0.1", 0, null, "sqlite", List.of(), "10.43.0.0/16", null,
                Duration.ofMinutes(5), 4, Duration.ofSeconds(30))).start();
        ca = CertificateAuthority.load(dir.resolve("pki"));
        admin = Kubeconfig.read(server.adminKubeconfig()).clientCertificate().orElseThrow();
        http = HttpClient.newBuilder().sslContext(TlsMaterial.context(admin, ca.certificate()))
                .connectTimeout(Duration.ofSeconds(10)).build();
        kubelet = new FakeKubelet(ca);
        agent = new TunnelClient(agentConfig("edge-1", "edge-1")).start();
        assertThat(agent.awaitConnected(Duration.ofSeconds(30))).isTrue();
        awaitTunnel("edge-1", true);

        post("/api/v1/namespaces/default/pods", pod("web", "edge-1", "app", "sidecar"));
        post("/api/v1/namespaces/default/pods", pod("solo", "edge-1", "app"));
        post("/api/v1/namespaces/default/pods", pod("far", "edge-9", "app"));
        post("/api/v1/nodes", "{\"apiVersion\":\"v1\",\"kind\":\"Node\",\"metadata\":{\"name\":\"edge-1\"}}");
    }

    @AfterAll
    void stop() {
        if (agent != null) agent.close();
        if (kubelet != null) kubelet.close();
        if (server != null) server.close();
    }

    private TunnelClientConfig agentConfig(String certifiedAs, String registersAs) throws IOException {
        Path certDir = Files.createDirectories(dir.resolve("agent-" + certifiedAs + "-as-" + registersAs));
        ca.issueClient("system:node:" + certifiedAs, List.of("system:nodes"), Duration.ofDays(1))
                .writeTo(certDir.resolve("node.crt"), certDir.resolve("node.key"));
        return TunnelClientConfig.of(URI.create("https://127.0.0.1:" + server.port()), registersAs,
                        certDir.resolve("node.crt"), certDir.resolve("node.key"), dir.resolve("pki").resolve("ca.crt"))
                .withTargets(Map.of(TunnelProtocol.KUBELET, kubelet.address()))
                .withBackoff(Duration.ofMillis(100), Duration.ofMillis(500));
    }

    private void awaitTunnel(String node, boolean up) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (server.tunnels().session(node).isPresent() != up) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the tunnel of " + node + " did not go " + (up ? "up" : "down"));
            }
            Thread.sleep(20);
        }
    }

    private static String pod(String name, String node, String... containers) {
        StringBuilder c = new StringBuilder();
        for (String container : containers) {
            c.append(c.length() == 0 ? "" : ",").append("{\"name\":\"").append(container).append("\",\"image\":\"busybox\"}");
        }
        return "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"" + name + "\"},\"spec\":{\"nodeName\":\""
                + node + "\",\"containers\":[" + c + "]}}";
    }

    private void post(String path, String json) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(url(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(url(path)).timeout(Duration.ofSeconds(60)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private URI url(String path) {
        return URI.create("https://127.0.0.1:" + server.port() + path);
    }

    @Test
    void aPodsLogComesFromItsKubeletThroughTheTunnel() throws Exception {
        HttpResponse<String> r = get("/api/v1/namespaces/default/pods/solo/log?tailLines=5&timestamps=true&follow=true");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.body()).startsWith("line 1 of /containerLogs/default/solo/app?")
                .contains("tailLines=5").contains("timestamps=true").contains("follow=true")
                .contains("line 3 of");
        assertThat(kubelet.lastClientSubject).contains("CN=" + KubeletClientIdentity.USER);
    }

    @Test
    void aPodWithSeveralContainersNeedsOneNamed() throws Exception {
        HttpResponse<String> r = get("/api/v1/namespaces/default/pods/web/log");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("a container name must be specified for pod web, choose one of: [app sidecar]")
                .contains("\"reason\":\"BadRequest\"");
        HttpResponse<String> named = get("/api/v1/namespaces/default/pods/web/log?container=app");
        assertThat(named.body()).startsWith("line 1 of /containerLogs/default/web/app");
    }

    @Test
    void aKubeletsErrorReachesTheClientAsAStatus() throws Exception {
        HttpResponse<String> r = get("/api/v1/namespaces/default/pods/web/log?container=sidecar");
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.body()).contains("\"kind\":\"Status\"").contains("\"reason\":\"NotFound\"")
                .contains("container \\\"sidecar\\\" has no log yet");
    }

    @Test
    void aNodeWithoutATunnelIsReportedAtOnceByName() throws Exception {
        HttpResponse<String> r = get("/api/v1/namespaces/default/pods/far/log");
        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(r.headers().firstValue("Retry-After")).isEmpty();
        assertThat(r.body()).contains("node \\\"edge-9\\\" is not reachable")
                .contains("has not connected a tunnel to this server");
    }

    @Test
    void aNodeWhoseTunnelWentDownIsReportedWithTheTimeItWent() throws Exception {
        try (TunnelClient edge7 = new TunnelClient(agentConfig("edge-7", "edge-7")).start()) {
            awaitTunnel("edge-7", true);
        }
        awaitTunnel("edge-7", false);
        post("/api/v1/namespaces/default/pods", pod("gone", "edge-7", "app"));
        HttpResponse<String> r = get("/api/v1/namespaces/default/pods/gone/log");
        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(r.body()).contains("node \\\"edge-7\\\" is not reachable: its tunnel to this server disconnected at "
                + server.tunnels().disconnectedAt("edge-7").orElseThrow());
    }

    @Test
    void aNodeCannotRegisterATunnelUnderAnotherNodesName() throws Exception {
        try (TunnelClient impostor = new TunnelClient(agentConfig("edge-2", "edge-1")).start()) {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (impostor.lastFailure() == null && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(impostor.lastFailure()).contains("403 Forbidden")
                    .contains("User \\\"system:node:edge-2\\\" cannot register a tunnel for node \\\"edge-1\\\"");
            assertThat(impostor.isConnected()).isFalse();
        }
        // the real edge-1 keeps its tunnel
        assertThat(server.tunnels().session("edge-1")).isPresent();
    }

    @Test
    void anAdminIsNotANode() throws Exception {
        String answer = rawExchange("GET " + TunnelProtocol.connectPath("edge-1") + " HTTP/1.1\r\nHost: x\r\n"
                + "Connection: Upgrade\r\nUpgrade: kedge-tunnel\r\nKedge-Tunnel-Version: 1\r\n\r\n", null, 0);
        assertThat(answer).startsWith("HTTP/1.1 403").contains("User \\\"kedge-admin\\\" cannot register a tunnel");
    }

    @Test
    void execSwitchesProtocolsAndRelaysBytesBothWays() throws Exception {
        String answer = rawExchange("POST /api/v1/namespaces/default/pods/solo/exec?command=sh&command=-c&stdin=true"
                        + "&stdout=true&tty=true HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\n"
                        + "X-Stream-Protocol-Version: v4.channel.k8s.io\r\nContent-Length: 0\r\n\r\n",
                "hello through the tunnel\n", 2);
        assertThat(answer).startsWith("HTTP/1.1 101").containsIgnoringCase("upgrade: SPDY/3.1")
                .containsIgnoringCase("x-stream-protocol-version: v4.channel.k8s.io");
        assertThat(answer).contains("ready /exec/default/solo/app?command=sh&command=-c&input=1&output=1&tty=1\n")
                .endsWith("hello through the tunnel\n");
    }

    @Test
    void execWithoutAnUpgradeIsABadRequest() throws Exception {
        HttpResponse<String> r = get("/api/v1/namespaces/default/pods/solo/exec?command=ls&stdout=true");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("Upgrade request required");
    }

    @Test
    void nodesProxyReachesAnyKubeletPath() throws Exception {
        HttpResponse<String> r = get("/api/v1/nodes/edge-1/proxy/stats/summary");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).hasValue("application/json");
        assertThat(r.body()).isEqualTo("{\"node\":{\"nodeName\":\"edge-1\"}}");
        HttpResponse<String> missing = get("/api/v1/nodes/edge-1:10250/proxy/nothing/here");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.body()).isEqualTo("no such kubelet API path: /nothing/here\n");
    }

    @Test
    void discoveryListsTheStreamSubresources() throws Exception {
        String body = get("/api/v1").body();
        assertThat(body).contains("{\"name\":\"pods/exec\",\"singularName\":\"\",\"namespaced\":true,\"group\":\"\","
                + "\"version\":\"v1\",\"kind\":\"PodExecOptions\",\"verbs\":[\"create\",\"get\"]}")
                .contains("\"name\":\"pods/log\"").contains("\"name\":\"pods/portforward\"").contains("\"name\":\"nodes/proxy\"");
    }

    /**
     * One HTTP/1.1 request on a raw TLS connection as the admin; after a 101, writes {@code then} and
     * reads until {@code lines} more lines arrived. Returns everything read.
     */
    private String rawExchange(String request, String then, int lines) throws Exception {
        SSLContext tls = TlsMaterial.context(admin, ca.certificate());
        try (SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket("127.0.0.1", server.port())) {
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.UTF_8));
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            String head = readUntil(in, got, "\r\n\r\n", 1);
            if (!head.startsWith("HTTP/1.1 101")) {
                int len = head.toLowerCase().contains("content-length:")
                        ? Integer.parseInt(head.toLowerCase().split("content-length:")[1].split("\r\n")[0].trim()) : 0;
                got.write(in.readNBytes(len));
                return got.toString(StandardCharsets.UTF_8);
            }
            readUntil(in, got, "\n", 1);
            socket.getOutputStream().write(then.getBytes(StandardCharsets.UTF_8));
            socket.getOutputStream().flush();
            return readUntil(in, got, "\n", lines - 1);
        }
    }

    private static String readUntil(InputStream in, ByteArrayOutputStream got, String marker, int times) throws IOException {
        int seen = 0;
        int start = got.size();
        while (seen < times) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            got.write(b);
            if (got.toString(StandardCharsets.UTF_8).substring(start).endsWith(marker)) {
                seen++;
                start = got.size();
            }
        }
        return got.toString(StandardCharsets.UTF_8);
    }
}
