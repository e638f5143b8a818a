package io.kedge.tunnel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kedge.pki.CertificateAuthority;
import io.kedge.pki.IssuedCertificate;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TunnelClientTest {
    private static final TunnelSettings SETTINGS = TunnelSettings.DEFAULTS;

    @TempDir
    Path dir;

    private final CertificateAuthority ca = CertificateAuthority.create("tunnel-test-ca");

    private TunnelClientConfig config(URI server, InetSocketAddress echo) throws Exception {
        writeNodeCertificate();
        Files.writeString(dir.resolve("ca.crt"), ca.certificatePem());
        return TunnelClientConfig.of(server, "edge-1", dir.resolve("node.crt"), dir.resolve("node.key"), dir.resolve("ca.crt"))
                .withTargets(Map.of("echo", echo))
                .withBackoff(Duration.ofMillis(50), Duration.ofMillis(400));
    }

    private IssuedCertificate writeNodeCertificate() throws Exception {
        IssuedCertificate cert = ca.issueClient("system:node:edge-1", List.of("system:nodes"), Duration.ofDays(1));
        cert.writeTo(dir.resolve("node.crt"), dir.resolve("node.key"));
        return cert;
    }

    private static String echoThrough(TunnelSession session, String text) throws Exception {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        StreamChannel s = session.open("echo", new SimpleChannelInboundHandler<ByteBuf>() {
            @Override
            protected void channelRead0(ChannelHandlerContext ctx, ByteBuf msg) {
                synchronized (got) {
                    got.writeBytes(ByteBufUtil.getBytes(msg));
                }
            }
        }).get(10, TimeUnit.SECONDS);
        s.writeAndFlush(Unpooled.copiedBuffer(text, StandardCharsets.UTF_8));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            synchronized (got) {
                if (got.size() >= text.length()) {
                    break;
                }
            }
            Thread.sleep(10);
        }
        s.close();
        return got.toString(StandardCharsets.UTF_8);
    }

    @Test
    void theServerReachesTheAgentsLocalTargetThroughTheTunnel() throws Exception {
        try (EchoServer echo = new EchoServer(); TestTunnelServer server = new TestTunnelServer(ca, 0, SETTINGS);
             TunnelClient client = new TunnelClient(config(server.url(), echo.address())).start()) {
            TestTunnelServer.Accepted tunnel = server.next();
            assertThat(tunnel.session().peer()).isEqualTo("edge-1");
            assertThat(tunnel.peerCertificate().getSubjectX500Principal().getName()).contains("CN=system:node:edge-1");
            assertThat(echoThrough(tunnel.session(), "ping through the tunnel")).isEqualTo("ping through the tunnel");
            assertThat(client.awaitConnected(Duration.ofSeconds(10))).isTrue();
        }
    }

    @Test
    void aDroppedTunnelComesBackWithTheRotatedCertificate() throws Exception {
        try (EchoServer echo = new EchoServer(); TestTunnelServer server = new TestTunnelServer(ca, 0, SETTINGS);
             TunnelClient client = new TunnelClient(config(server.url(), echo.address())).start()) {
            TestTunnelServer.Accepted first = server.next();
            IssuedCertificate rotated = writeNodeCertificate();
            assertThat(rotated.certificate().getSerialNumber()).isNotEqualTo(first.peerCertificate().getSerialNumber());

            first.session().close("dropped by the test");
            TestTunnelServer.Accepted second = server.next();

            assertThat(second.peerCertificate().getSerialNumber()).isEqualTo(rotated.certificate().getSerialNumber());
            assertThat(echoThrough(second.session(), "after the reconnect")).isEqualTo("after the reconnect");
            assertThat(client.attempts()).isGreaterThanOrEqualTo(2);
        }
    }

    @Test
    void anAgentKeepsRetryingWhileTheServerIsDownAndConnectsOnceItIsUp() throws Exception {
        int port;
        try (var probe = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        try (EchoServer echo = new EchoServer();
             TunnelClient client = new TunnelClient(config(URI.create("https://127.0.0.1:" + port), echo.address())).start()) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (client.attempts() < 3 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(client.attempts()).isGreaterThanOrEqualTo(3);
            assertThat(client.lastFailure()).contains("cannot connect to 127.0.0.1:" + port);
            assertThat(client.isConnected()).isFalse();

            try (TestTunnelServer server = new TestTunnelServer(ca, port, SETTINGS)) {
                assertThat(echoThrough(server.next().session(), "late but here")).isEqualTo("late but here");
            }
        }
    }

    @Test
    void aRefusedUpgradeIsRetriedAndReportedWithTheServersAnswer() throws Exception {
        try (EchoServer echo = new EchoServer(); TestTunnelServer server = new TestTunnelServer(ca, 0, SETTINGS)) {
            server.refuseWith = HttpResponseStatus.FORBIDDEN;
            try (TunnelClient client = new TunnelClient(config(server.url(), echo.address())).start()) {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                while (client.attempts() < 2 && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                assertThat(client.lastFailure()).contains("the server refused the tunnel: 403 Forbidden").contains("not today");
                server.refuseWith = null;
                assertThat(server.next().session().peer()).isEqualTo("edge-1");
            }
        }
    }

    @Test
    void aMissingCertificateFileIsReportedAndRetriedNotThrown() throws Exception {
        try (EchoServer echo = new EchoServer(); TestTunnelServer server = new TestTunnelServer(ca, 0, SETTINGS)) {
            TunnelClientConfig cfg = config(server.url(), echo.address());
            Files.delete(cfg.keyFile());
            try (TunnelClient client = new TunnelClient(cfg).start()) {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                while (client.lastFailure() == null && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                assertThat(client.lastFailure()).contains("cannot load the node's certificate files").contains("node.key");
                writeNodeCertificate();
                assertThat(server.next().session().peer()).isEqualTo("edge-1");
            }
        }
    }

    @Test
    void aConfigurationWithoutHttpsOrWithABadNodeNameIsRejected() {
        assertThatThrownBy(() -> TunnelClientConfig.of(URI.create("http://x:1"), "edge-1", dir, dir, dir))
                .hasMessageContaining("https:// URL");
        assertThatThrownBy(() -> TunnelClientConfig.of(URI.create("https://x:1"), "Edge_1", dir, dir, dir))
                .hasMessageContaining("\"Edge_1\" is not a valid node name");
    }
}
