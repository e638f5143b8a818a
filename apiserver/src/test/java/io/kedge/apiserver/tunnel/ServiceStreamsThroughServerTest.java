package io.kedge.apiserver.tunnel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kedge.apiserver.KedgeServer;
import io.kedge.apiserver.ServerConfig;
import io.kedge.pki.CertificateAuthority;
import io.kedge.pki.IssuedCertificate;
import io.kedge.pki.Kubeconfig;
import io.kedge.pki.TlsMaterial;
import io.kedge.tunnel.StreamChannel;
import io.kedge.tunnel.TunnelClient;
import io.kedge.tunnel.TunnelClientConfig;
import io.kedge.tunnel.TunnelProtocol;
import io.kedge.tunnel.TunnelSession;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The server's end of cloud Services, through a real server and a real tunnel client for edge node
 * east-1: the streams the agent opens to {@code service/...} targets are dialed to ready endpoints on
 * cloud nodes, spread over them, and everything else is refused with the reason.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ServiceStreamsThroughServerTest {
    private Path dir;
    private KedgeServer server;
    private HttpClient http;
    private final List<Echo> echoes = new ArrayList<>();
    private TunnelClient agent;

    /** A TCP echo server counting its connections. */
    private static final class Echo implements AutoCloseable {
        final ServerSocket socket;
        final AtomicInteger connections = new AtomicInteger();

        Echo(InetAddress address) throws IOException {
            socket = new ServerSocket(0, 50, address);
            Thread t = new Thread(this::serve, "echo");
            t.setDaemon(true);
            t.start();
        }

        private void serve() {
            while (!socket.isClosed()) {
                try {
                    Socket s = socket.accept();
                    connections.incrementAndGet();
                    Thread t = new Thread(() -> {
                        try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
                            in.transferTo(out);
                        } catch (IOException ignored) {
                            // the test ended the stream
                        }
                    }, "echo-connection");
                    t.setDaemon(true);
                    t.start();
                } catch (IOException closed) {
                    return;
                }
            }
        }

        int port() {
            return socket.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    @BeforeAll
    void start() throws Exception {
        // endpoints may not be loopback addresses, so the echo servers listen on one of the machine's others
        Optional<InetAddress> own = ownNonLoopbackAddress();
        Assumptions.assumeTrue(own.isPresent(), "the machine has no non-loopback IPv4 address for the endpoints");
        echoes.add(new Echo(own.get()));
        echoes.add(new Echo(own.get()));
        String ip = own.get().getHostAddress();

        dir = Files.createTempDirectory("kedge-service-streams-test");
        server = new KedgeServer(new ServerConfig(dir, "127.0.0.1", 0, null, "sqlite", List.of(), "10.43.0.0/16", null,
                Duration.ofMinutes(5), 4, Duration.ofSeconds(30))).start();
        CertificateAuthority ca = CertificateAuthority.load(dir.resolve("pki"));
        IssuedCertificate admin = Kubeconfig.read(server.adminKubeconfig()).clientCertificate().orElseThrow();
        http = HttpClient.newBuilder().sslContext(TlsMaterial.context(admin, ca.certificate()))
                .connectTimeout(Duration.ofSeconds(10)).build();

        post("/apis/edge.kedge.io/v1alpha1/edgeunits", "{'apiVersion':'edge.kedge.io/v1alpha1','kind':'EdgeUnit',"
                + "'metadata':{'name':'cloud'},'spec':{'type':'Cloud'}}");
        post("/api/v1/nodes", "{'apiVersion':'v1','kind':'Node','metadata':{'name':'cloud-1','labels':{'kedge.io/unit':'cloud'}}}");
        post("/api/v1/nodes", "{'apiVersion':'v1','kind':'Node','metadata':{'name':'east-1','labels':{'kedge.io/unit':'east'}}}");
        post("/api/v1/namespaces/default/services", "{'apiVersion':'v1','kind':'Service','metadata':{'name':'echo'},"
                + "'spec':{'ports':[{'name':'tcp','port':7,'targetPort':'echo'},{'name':'udp','port':7,'protocol':'UDP'}]}}");
        // two slices, one endpoint each, on the same node but different ports: both are cloud endpoints of port 7
        for (int i = 0; i < echoes.size(); i++) {
            slice("echo", "echo-" + i, "cloud-1", ip, echoes.get(i).port());
        }
        post("/api/v1/namespaces/default/services", "{'apiVersion':'v1','kind':'Service','metadata':{'name':'edge-only'},"
                + "'spec':{'ports':[{'name':'tcp','port':7}]}}");
        slice("edge-only", "edge-only-1", "east-1", ip, echoes.get(0).port());

        Path certs = Files.createDirectories(dir.resolve("agent"));
        ca.issueClient("system:node:east-1", List.of("system:nodes"), Duration.ofDays(1))
                .writeTo(certs.resolve("node.crt"), certs.resolve("node.key"));
        agent = new TunnelClient(TunnelClientConfig.of(URI.create("https://127.0.0.1:" + server.port()), "east-1",
                        certs.resolve("node.crt"), certs.resolve("node.key"), dir.resolve("pki").resolve("ca.crt"))
                .withTargets(Map.of(TunnelProtocol.KUBELET, new InetSocketAddress(InetAddress.getLoopbackAddress(), 1)))
                .withBackoff(Duration.ofMillis(100), Duration.ofMillis(500))).start();
        assertThat(agent.awaitConnected(Duration.ofSeconds(30))).isTrue();
    }

    private void slice(String service, String name, String node, String ip, int port) throws Exception {
        post("/apis/discovery.k8s.io/v1/namespaces/default/endpointslices", "{'apiVersion':'discovery.k8s.io/v1',"
                + "'kind':'EndpointSlice','metadata':{'name':'" + name + "','labels':{'kubernetes.io/service-name':'" + service
                + "'}},'addressType':'IPv4','ports':[{'name':'tcp','port':" + port + ",'protocol':'TCP'}],"
                + "'endpoints':[{'addresses':['" + ip + "'],'nodeName':'" + node + "','conditions':{'ready':true}}]}");
    }

    private static Optional<InetAddress> ownNonLoopbackAddress() throws IOException {
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (nic.isUp() && !nic.isLoopback()) {
                for (InetAddress a : Collections.list(nic.getInetAddresses())) {
                    if (a instanceof Inet4Address && !a.isLinkLocalAddress()) {
                        return Optional.of(a);
                    }
                }
            }
        }
        return Optional.empty();
    }

    @AfterAll
    void stop() throws IOException {
        if (agent != null) agent.close();
        if (server != null) server.close();
        for (Echo e : echoes) {
            e.close();
        }
    }

    private void post(String path, String json) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + server.port() + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json.replace('\'', '"'))).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    }

    private TunnelSession session() {
        return agent.session().orElseThrow(() -> new AssertionError("the tunnel is down"));
    }

    /** Opens a stream from the agent, sends the line, and returns what came back once the line's length has. */
    private String echoThrough(String target, String line) throws Exception {
        CompletableFuture<String> back = new CompletableFuture<>();
        StringBuilder got = new StringBuilder();
        StreamChannel s = session().open(target, new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                        got.append(((ByteBuf) msg).toString(StandardCharsets.UTF_8));
                        ((ByteBuf) msg).release();
                        if (got.length() >= line.length()) {
                            back.complete(got.toString());
                            ctx.close();
                        }
                    }
                });
            }
        }).get(10, TimeUnit.SECONDS);
        s.writeAndFlush(Unpooled.copiedBuffer(line, StandardCharsets.UTF_8));
        return back.get(10, TimeUnit.SECONDS);
    }

    /** The server reads from its caches, which follow the store a moment after each write. */
    private String echoThroughOnceVisible(String target, String line) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (true) {
            try {
                return echoThrough(target, line);
            } catch (java.util.concurrent.ExecutionException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(50);
            }
        }
    }

    @Test
    void streamsToACloudServiceAreEchoedAndSpreadOverItsCloudEndpoints() throws Exception {
        String target = TunnelProtocol.serviceTarget("default", "echo", 7);
        assertThat(echoThroughOnceVisible(target, "one\n")).isEqualTo("one\n");
        for (int i = 0; i < 5; i++) {
            assertThat(echoThrough(target, "again " + i + "\n")).isEqualTo("again " + i + "\n");
        }
        assertThat(echoes).allSatisfy(e -> assertThat(e.connections.get()).as("connections to echo port " + e.port())
                .isPositive());
    }

    @Test
    void everythingElseIsRefusedWithTheReason() throws Exception {
        echoThroughOnceVisible(TunnelProtocol.serviceTarget("default", "echo", 7), "ready\n");
        assertThatThrownBy(() -> session().open("service/default/edge-only/7", new ChannelInboundHandlerAdapter()).get(10, TimeUnit.SECONDS))
                .hasMessageContaining("service \"default/edge-only\" has no ready endpoints for port 7 on cloud nodes");
        assertThatThrownBy(() -> session().open("service/default/nothing/7", new ChannelInboundHandlerAdapter()).get(10, TimeUnit.SECONDS))
                .hasMessageContaining("service \"default/nothing\" not found");
        assertThatThrownBy(() -> session().open("service/default/echo/8", new ChannelInboundHandlerAdapter()).get(10, TimeUnit.SECONDS))
                .hasMessageContaining("service \"default/echo\" has no port 8 (its ports: [7])");
        assertThatThrownBy(() -> session().open("service/default/Echo/7", new ChannelInboundHandlerAdapter()).get(10, TimeUnit.SECONDS))
                .hasMessageContaining("\"Echo\" is not a valid Service name");
        assertThatThrownBy(() -> session().open("kubelet", new ChannelInboundHandlerAdapter()).get(10, TimeUnit.SECONDS))
                .hasMessageContaining("unknown target \"kubelet\": the server serves only service/<namespace>/<name>/<port>");
    }
}
