package io.kedge.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.kedge.apiserver.KedgeServer;
import io.kedge.apiserver.ServerConfig;
import io.kedge.kubelet.server.ContainerLog;
import io.kedge.kubelet.server.KubeletApiException;
import io.kedge.kubelet.server.KubeletApiServer;
import io.kedge.kubelet.server.NodeContainers;
import io.kedge.kubelet.server.StreamOptions;
import io.kedge.pki.CertificateAuthority;
import io.kedge.pki.IssuedCertificate;
import io.kedge.tunnel.TunnelClient;
import io.kedge.tunnel.TunnelClientConfig;
import io.kedge.tunnel.TunnelProtocol;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * kubectl 1.35 against a server whose only way to the node is the tunnel: a real kedge server, a
 * real kubelet API server on a stand-in runtime, and the agent's tunnel client between them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TunnelScenarioTest {
    private Path dir;
    private KedgeServer server;
    private KubeletApiServer kubelet;
    private FakeStreamingServer runtime;
    private TunnelClient agent;
    private Cli kubectl;
    private volatile String webUid = "";

    @BeforeAll
    void start() throws Exception {
        dir = Files.createTempDirectory("kedge-tunnel-e2e");
        server = new KedgeServer(new ServerConfig(dir.resolve("server"), "127.0.0.1", 0, null, "sqlite", List.of(),
                "10.43.0.0/16", null, Duration.ofMinutes(5), 4, Duration.ofSeconds(30))).start();
        CertificateAuthority ca = CertificateAuthority.load(dir.resolve("server/pki"));

        Files.writeString(dir.resolve("app.log"), "2026-11-27T05:00:01Z stdout F hello from the edge\n"
                + "2026-11-27T05:00:02Z stderr F and goodbye\n");
        runtime = new FakeStreamingServer();
        CertificateAuthority nodeOwn = CertificateAuthority.create("edge-1-self");
        IssuedCertificate serving = nodeOwn.issueServing("edge-1", List.of("localhost"), List.of("127.0.0.1"), Duration.ofDays(1));
        kubelet = KubeletApiServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), serving.key(),
                new X509Certificate[]{serving.certificate()}, ca.certificate(), new Containers());

        ca.issueClient("system:node:edge-1", List.of("system:nodes"), Duration.ofDays(1))
                .writeTo(dir.resolve("node.crt"), dir.resolve("node.key"));
        agent = new TunnelClient(TunnelClientConfig.of(URI.create("https://127.0.0.1:" + server.port()), "edge-1",
                        dir.resolve("node.crt"), dir.resolve("node.key"), dir.resolve("server/pki/ca.crt"))
                .withTargets(Map.of(TunnelProtocol.KUBELET, kubelet.address()))).start();
        assertThat(agent.awaitConnected(Duration.ofSeconds(30))).isTrue();

        kubectl = new Cli("kubectl-1.35", server.adminKubeconfig());
        Path manifests = dir.resolve("pods.yaml");
        Files.writeString(manifests, "apiVersion: v1\nkind: Node\nmetadata:\n  name: edge-1\n  labels: {kedge.io/edge: \"true\"}\n"
                + "---\n" + pod("web", "edge-1") + "---\n" + pod("far", "edge-9"));
        kubectl.run("apply", "-f", manifests.toString()).ok();
        // what a kubelet posts: the allocatable that kubectl top's percentages are of
        kubectl.run("patch", "node", "edge-1", "--subresource=status", "--type=merge", "-p",
                "{\"status\":{\"allocatable\":{\"cpu\":\"2\",\"memory\":\"4Gi\"},\"capacity\":{\"cpu\":\"2\",\"memory\":\"4Gi\"}}}").ok();
        webUid = kubectl.run("get", "pod", "web", "-o", "jsonpath={.metadata.uid}").ok().out();
    }

    private static String pod(String name, String node) {
        return "apiVersion: v1\nkind: Pod\nmetadata:\n  name: " + name + "\n  namespace: default\nspec:\n  nodeName: " + node
                + "\n  containers:\n  - name: app\n    image: busybox\n";
    }

    @AfterAll
    void stop() {
        if (agent != null) agent.close();
        if (kubelet != null) kubelet.close();
        if (runtime != null) runtime.close();
        if (server != null) server.close();
    }

    @Test
    void kubectlLogsReadsTheContainerLogThroughTheTunnel() throws Exception {
        Cli.Result r = kubectl.run("logs", "web").ok();
        assertThat(r.out()).isEqualTo("hello from the edge\nand goodbye\n");
        Cli.Result tail = kubectl.run("logs", "web", "--tail=1", "--timestamps").ok();
        assertThat(tail.out()).isEqualTo("2026-11-27T05:00:02Z and goodbye\n");
    }

    @Test
    void kubectl120LogsWorkThroughTheTunnelToo() throws Exception {
        Cli.Result r = new Cli("kubectl-1.20", server.adminKubeconfig()).run("logs", "web", "-c", "app").ok();
        assertThat(r.out()).isEqualTo("hello from the edge\nand goodbye\n");
    }

    @Test
    void kubectlExecRunsThroughTheTunnelOverWebSockets() throws Exception {
        Cli.Result r = kubectl.run("exec", "web", "--", "echo", "hi").ok();
        assertThat(r.out()).isEqualTo("hello from exec: [echo, hi]\n");
    }

    @Test
    void kubectlTopShowsNodeAndPodUsageFromTheNodesSummaryThroughTheTunnel() throws Exception {
        Cli.Result nodes = kubectl.run("top", "node", "edge-1").ok();
        // 0.25 cores of 2, and 1 GiB of 4
        assertThat(nodes.out()).containsPattern("edge-1\\s+250m\\s+12%\\s+1024Mi\\s+25%");
        Cli.Result pods = kubectl.run("top", "pod", "web", "--containers").ok();
        assertThat(pods.out()).containsPattern("web\\s+app\\s+100m\\s+64Mi");
        Cli.Result all = kubectl.run("top", "pod", "-A").ok();
        assertThat(all.out()).contains("web").doesNotContain("ghost");
        Cli.Result badSelector = kubectl.run("get", "--raw", "/apis/metrics.k8s.io/v1beta1/pods?labelSelector=app%20in%20(");
        assertThat(badSelector.exit()).isNotZero();
        assertThat(badSelector.err()).contains("BadRequest");
        Cli.Result absent = kubectl.run("top", "pod", "far");
        assertThat(absent.exit()).isNotZero();
        assertThat(absent.err()).contains("not found");
    }

    @Test
    void theAgentsMetricsAreScrapedThroughNodesProxy() throws Exception {
        assertThat(kubectl.run("get", "--raw", "/api/v1/nodes/edge-1/proxy/metrics").ok().out()).contains("kubelet_running_pods 1");
    }

    @Test
    void aPodOnANodeWithoutATunnelFailsAtOnceNamingTheNode() throws Exception {
        Cli.Result r = kubectl.run("logs", "far");
        assertThat(r.exit()).isNotZero();
        assertThat(r.err()).contains("node \"edge-9\" is not reachable")
                .contains("has not connected a tunnel to this server");
    }

    /** The runtime side the kubelet API needs: one log file, and exec sessions served by the fake streaming server. */
    private final class Containers implements NodeContainers {
        @Override
        public ContainerLog log(String namespace, String pod, String container, boolean previous) throws KubeletApiException {
            if (!pod.equals("web") || !container.equals("app")) {
                throw KubeletApiException.notFound("container " + container + " is not valid for pod " + pod);
            }
            return new ContainerLog(dir.resolve("app.log"), () -> false);
        }

        @Override
        public URI exec(String namespace, String pod, String container, List<String> command, StreamOptions streams) {
            return runtime.url(command);
        }

        @Override
        public URI attach(String namespace, String pod, String container, StreamOptions streams) {
            return runtime.url(List.of("attach"));
        }

        @Override
        public URI portForward(String namespace, String pod, List<Integer> ports) {
            return runtime.url(List.of("portforward"));
        }

        @Override
        public String metrics() {
            return "kubelet_running_pods 1\n";
        }

        /** edge-1 busy with a quarter core and 1 GiB; pod web's app container, and a sandbox the API has no pod for. */
        @Override
        public JsonNode statsSummary() {
            String now = java.time.Instant.now().toString();
            return io.kedge.api.Json.parse(("{\"node\":{\"nodeName\":\"edge-1\",\"cpu\":{\"time\":\"" + now
                    + "\",\"usageNanoCores\":250000000},\"memory\":{\"workingSetBytes\":1073741824}},"
                    + "\"pods\":[{\"podRef\":{\"name\":\"web\",\"namespace\":\"default\",\"uid\":\"" + webUid + "\"},"
                    + "\"containers\":[{\"name\":\"app\",\"cpu\":{\"time\":\"" + now + "\",\"usageNanoCores\":100000000},"
                    + "\"memory\":{\"workingSetBytes\":67108864}}]},"
                    + "{\"podRef\":{\"name\":\"ghost\",\"namespace\":\"default\",\"uid\":\"gone\"},\"containers\":[]}]}")
                    .getBytes(StandardCharsets.UTF_8), false);
        }
    }

    /**
     * Stands in for containerd's streaming server: accepts the WebSocket v5 channel protocol, writes
     * one line on stdout naming the command it was given, then a Success status on the error channel.
     */
    private static final class FakeStreamingServer implements AutoCloseable {
        private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        private final Channel listener;
        private final Map<String, List<String>> sessions = new java.util.concurrent.ConcurrentHashMap<>();

        FakeStreamingServer() throws InterruptedException {
            listener = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(65536), new Session());
                        }
                    })
                    .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).sync().channel();
        }

        URI url(List<String> command) {
            String token = Integer.toHexString(System.identityHashCode(command)) + sessions.size();
            sessions.put(token, command);
            return URI.create("http://127.0.0.1:" + ((InetSocketAddress) listener.localAddress()).getPort() + "/exec/" + token);
        }

        private final class Session extends SimpleChannelInboundHandler<FullHttpRequest> {
            @Override
            protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
                List<String> command = sessions.getOrDefault(req.uri().substring("/exec/".length()), List.of("?"));
                WebSocketServerHandshaker hs = new WebSocketServerHandshakerFactory("ws://runtime" + req.uri(),
                        "v5.channel.k8s.io,v4.channel.k8s.io", false).newHandshaker(req);
                hs.handshake(ctx.channel(), req).addListener(f -> {
                    ctx.writeAndFlush(frame(1, "hello from exec: " + command + "\n"));
                    ctx.writeAndFlush(frame(3, "{\"metadata\":{},\"status\":\"Success\"}"));
                    ctx.writeAndFlush(new CloseWebSocketFrame(1000, "")).addListener(ChannelFutureListener.CLOSE);
                });
            }

            private BinaryWebSocketFrame frame(int channel, String text) {
                byte[] b = text.getBytes(StandardCharsets.UTF_8);
                return new BinaryWebSocketFrame(Unpooled.buffer(b.length + 1).writeByte(channel).writeBytes(b));
            }
        }

        @Override
        public void close() {
            listener.close();
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }
}
