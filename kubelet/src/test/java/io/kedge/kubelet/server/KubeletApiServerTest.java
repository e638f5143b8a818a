package io.kedge.kubelet.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.kedge.pki.CertificateAuthority;
import io.kedge.pki.IssuedCertificate;
import io.kedge.pki.TlsMaterial;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KubeletApiServerTest {
    @TempDir
    Path dir;

    private final CertificateAuthority clusterCa = CertificateAuthority.create("cluster-ca");
    private final CertificateAuthority nodeCa = CertificateAuthority.create("node-ca");
    private KubeletApiServer server;
    private FakeContainers containers;

    /** A test fake for the runtime side: one log file, and a streaming URL set per test. */
    private final class FakeContainers implements NodeContainers {
        URI streamTarget;
        List<String> lastCommand;
        StreamOptions lastStreams;
        List<Integer> lastPorts;

        @Override
        public ContainerLog log(String namespace, String pod, String container, boolean previous) throws KubeletApiException {
            if (!container.equals("app")) {
                throw KubeletApiException.notFound("container " + container + " is not valid for pod " + pod);
            }
            return new ContainerLog(dir.resolve("app.log"), () -> false);
        }

        @Override
        public URI exec(String namespace, String pod, String container, List<String> command, StreamOptions streams) {
            lastCommand = command;
            lastStreams = streams;
            return streamTarget;
        }

        @Override
        public URI attach(String namespace, String pod, String container, StreamOptions streams) {
            return streamTarget;
        }

        @Override
        public URI portForward(String namespace, String pod, List<Integer> ports) {
            lastPorts = ports;
            return streamTarget;
        }

        @Override
        public String metrics() {
            return "kubelet_running_pods 3\n";
        }

        @Override
        public JsonNode statsSummary() {
            return JsonNodeFactory.instance.objectNode().set("node",
                    JsonNodeFactory.instance.objectNode().put("nodeName", "east-1"));
        }
    }

    @BeforeEach
    void start() throws Exception {
        Files.writeString(dir.resolve("app.log"), "2026-11-27T05:00:01Z stdout F hello\n2026-11-27T05:00:02Z stderr F world\n");
        containers = new FakeContainers();
        IssuedCertificate serving = nodeCa.issueServing("east-1", List.of("localhost"), List.of("127.0.0.1"), Duration.ofDays(1));
        server = KubeletApiServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), serving.key(),
                new java.security.cert.X509Certificate[] {serving.certificate()}, clusterCa.certificate(), containers);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private SSLSocket connect(boolean withClientCertificate) throws IOException {
        SSLContext tls = withClientCertificate
                ? TlsMaterial.context(clusterCa.issueClient("kedge-apiserver", List.of(), Duration.ofDays(1)), nodeCa.certificate())
                : anonymousContext();
        SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket("127.0.0.1", server.address().getPort());
        socket.setSoTimeout(20_000);
        socket.startHandshake();
        return socket;
    }

    private SSLContext anonymousContext() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, TlsMaterial.trustManagers(nodeCa.certificate()).getTrustManagers(), null);
            return context;
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private String get(String path, boolean withClientCertificate) throws IOException {
        try (SSLSocket socket = connect(withClientCertificate)) {
            socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: node\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void healthzAnswersWithoutAClientCertificate() throws Exception {
        assertThat(get("/healthz", false)).startsWith("HTTP/1.1 200").endsWith("ok");
    }

    @Test
    void logsNeedAClientCertificateFromTheClusterCa() throws Exception {
        assertThat(get("/containerLogs/default/web/app", false)).startsWith("HTTP/1.1 401").contains("client certificate");
    }

    @Test
    void aCertificateFromAnotherCaIsNotLetIn() {
        CertificateAuthority stranger = CertificateAuthority.create("stranger");
        SSLContext tls = TlsMaterial.context(stranger.issueClient("mallory", List.of(), Duration.ofDays(1)), nodeCa.certificate());
        String answer;
        try (SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket("127.0.0.1", server.address().getPort())) {
            socket.setSoTimeout(20_000);
            socket.startHandshake();
            socket.getOutputStream().write("GET /stats/summary HTTP/1.1\r\nHost: node\r\n\r\n".getBytes(StandardCharsets.UTF_8));
            answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException refusedAtTheHandshake) {
            answer = "handshake refused";
        }
        // the JDK client withholds a certificate the server's CA list does not name, so this is either outcome
        assertThat(answer).satisfiesAnyOf(a -> assertThat(a).isEqualTo("handshake refused"),
                a -> assertThat(a).startsWith("HTTP/1.1 401"));
    }

    @Test
    void containerLogsPrintTheMessagesWithTheChosenOptions() throws Exception {
        String all = get("/containerLogs/default/web/app", true);
        assertThat(all).startsWith("HTTP/1.1 200").contains("hello\n").contains("world\n");
        String tail = get("/containerLogs/default/web/app?tailLines=1&timestamps=true", true);
        assertThat(tail).contains("2026-11-27T05:00:02Z world\n").doesNotContain("hello");
    }

    @Test
    void badLogOptionsGetAClearError() throws Exception {
        assertThat(get("/containerLogs/default/web/app?tailLines=many", true))
                .startsWith("HTTP/1.1 400").contains("tailLines must be an integer");
        assertThat(get("/containerLogs/default/web/nope", true))
                .startsWith("HTTP/1.1 404").contains("container nope is not valid");
        assertThat(get("/nothing/here", true)).startsWith("HTTP/1.1 404");
    }

    @Test
    void metricsAreServedInThePrometheusTextFormat() throws Exception {
        assertThat(get("/metrics", true)).startsWith("HTTP/1.1 200").contains("text/plain; version=0.0.4")
                .endsWith("kubelet_running_pods 3\n");
        assertThat(get("/metrics", false)).startsWith("HTTP/1.1 401");
    }

    @Test
    void statsSummaryIsJson() throws Exception {
        assertThat(get("/stats/summary", true)).startsWith("HTTP/1.1 200").contains("application/json")
                .contains("\"nodeName\":\"east-1\"");
    }

    @Test
    void execWithoutAnUpgradeIsRefused() throws Exception {
        assertThat(get("/exec/default/web/app?command=ls", true)).startsWith("HTTP/1.1 400").contains("Upgrade request required");
    }

    @Test
    void execIsRelayedToTheRuntimesStreamingServerAfterTheUpgrade() throws Exception {
        try (ServerSocket streaming = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            containers.streamTarget = URI.create("http://127.0.0.1:" + streaming.getLocalPort() + "/exec/tok3n");
            CompletableFuture<String> seenRequest = CompletableFuture.supplyAsync(() -> echoAfterUpgrade(streaming));
            try (SSLSocket socket = connect(true)) {
                OutputStream out = socket.getOutputStream();
                out.write(("GET /exec/default/web/app?command=sh&command=-c&command=date&stdin=1&stdout=1&tty=1 HTTP/1.1\r\n"
                        + "Host: node\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\n"
                        + "X-Stream-Protocol-Version: v4.channel.k8s.io\r\n\r\n").getBytes(StandardCharsets.UTF_8));
                InputStream in = socket.getInputStream();
                assertThat(readHead(in)).startsWith("HTTP/1.1 101");
                out.write("ping".getBytes(StandardCharsets.UTF_8));
                out.flush();
                assertThat(new String(in.readNBytes(4), StandardCharsets.UTF_8)).isEqualTo("ping");
            }
            String forwarded = seenRequest.get(20, TimeUnit.SECONDS);
            assertThat(forwarded).startsWith("GET /exec/tok3n HTTP/1.1").contains("X-Stream-Protocol-Version: v4.channel.k8s.io");
            assertThat(containers.lastCommand).containsExactly("sh", "-c", "date");
            assertThat(containers.lastStreams).isEqualTo(new StreamOptions(true, true, false, true));
        }
    }

    @Test
    void webSocketPortForwardHandsTheRuntimeThePortsOfTheQuery() throws Exception {
        try (ServerSocket streaming = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            containers.streamTarget = URI.create("http://127.0.0.1:" + streaming.getLocalPort() + "/portforward/tok");
            CompletableFuture<String> seenRequest = CompletableFuture.supplyAsync(() -> echoAfterUpgrade(streaming));
            try (SSLSocket socket = connect(true)) {
                OutputStream out = socket.getOutputStream();
                out.write(("GET /portForward/default/web?port=8080&port=9090 HTTP/1.1\r\nHost: node\r\n"
                        + "Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\n"
                        + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n").getBytes(StandardCharsets.UTF_8));
                InputStream in = socket.getInputStream();
                assertThat(readHead(in)).startsWith("HTTP/1.1 101");
                out.write("ping".getBytes(StandardCharsets.UTF_8));
                out.flush();
                assertThat(new String(in.readNBytes(4), StandardCharsets.UTF_8)).isEqualTo("ping");
            }
            assertThat(seenRequest.get(20, TimeUnit.SECONDS)).startsWith("GET /portforward/tok HTTP/1.1");
            assertThat(containers.lastPorts).containsExactly(8080, 9090);
        }
    }

    @Test
    void aPortThatIsNotATcpPortIsRefused() throws Exception {
        String answer;
        try (SSLSocket socket = connect(true)) {
            socket.getOutputStream().write(("GET /portForward/default/web?port=http HTTP/1.1\r\nHost: node\r\n"
                    + "Connection: Upgrade\r\nUpgrade: websocket\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(answer).startsWith("HTTP/1.1 400").contains("port \"http\" is not a TCP port");
    }

    private static String echoAfterUpgrade(ServerSocket streaming) {
        try (Socket peer = streaming.accept()) {
            peer.setSoTimeout(20_000);
            String head = readHead(peer.getInputStream());
            peer.getOutputStream().write(("HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\n\r\n")
                    .getBytes(StandardCharsets.UTF_8));
            byte[] ping = peer.getInputStream().readNBytes(4);
            peer.getOutputStream().write(ping);
            peer.getOutputStream().flush();
            return head;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        while (matched < end.length) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.write(b);
            matched = b == end[matched] ? matched + 1 : (b == end[0] ? 1 : 0);
        }
        return head.toString(StandardCharsets.UTF_8);
    }
}
