package io.kedge.netproxy.cloud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kedge.tunnel.ServiceTarget;
import io.kedge.tunnel.StreamAcceptor;
import io.kedge.tunnel.StreamDialer;
import io.kedge.tunnel.TunnelProtocol;
import io.kedge.tunnel.TunnelSession;
import io.kedge.tunnel.TunnelSettings;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The forwarder over a real tunnel session on loopback: the agent's end opens the streams, and a
 * stand-in for the server's end dials an echo server for the one Service it knows.
 */
class CloudServiceForwarderTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    private final List<String> offered = Collections.synchronizedList(new ArrayList<>());
    private ServerSocket echo;
    private ServerSocket greeter;
    private TunnelSession agent;
    private CloudServiceForwarder forwarder;

    @BeforeEach
    void tunnel() throws Exception {
        echo = new ServerSocket(0, 50, LOOPBACK);
        Thread t = new Thread(this::echoForever, "echo");
        t.setDaemon(true);
        t.start();
        InetSocketAddress backend = (InetSocketAddress) echo.getLocalSocketAddress();
        greeter = new ServerSocket(0, 50, LOOPBACK);
        Thread g = new Thread(this::greetForever, "greeter");
        g.setDaemon(true);
        g.start();
        StreamAcceptor server = (stream, target) -> {
            offered.add(target);
            if (target.equals("service/shop/api/80")) {
                StreamDialer.dialAndRelay(stream, backend);
            } else if (target.equals("service/shop/greeter/25")) {
                StreamDialer.dialAndRelay(stream, (InetSocketAddress) greeter.getLocalSocketAddress());
            } else {
                stream.reject("service \"" + target + "\" has no cloud endpoints");
            }
        };
        CompletableFuture<TunnelSession> agentEnd = new CompletableFuture<>();
        Channel listener = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        TunnelProtocol.installServer(ch.pipeline(), "edge-1", server, TunnelSettings.DEFAULTS);
                    }
                }).bind(new InetSocketAddress(LOOPBACK, 0)).sync().channel();
        new Bootstrap().group(group).channel(NioSocketChannel.class).handler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                agentEnd.complete(TunnelProtocol.installAgent(ch.pipeline(), "server", StreamAcceptor.REFUSE_ALL,
                        TunnelSettings.DEFAULTS));
            }
        }).connect(listener.localAddress()).sync();
        agent = agentEnd.get(10, TimeUnit.SECONDS);
        forwarder = new CloudServiceForwarder(() -> List.of(agent), LOOPBACK);
    }

    private void echoForever() {
        while (!echo.isClosed()) {
            try {
                Socket s = echo.accept();
                Thread t = new Thread(() -> {
                    try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
                        in.transferTo(out);
                    } catch (IOException ignored) {
                        // the test ended the connection
                    }
                }, "echo-connection");
                t.setDaemon(true);
                t.start();
            } catch (IOException closed) {
                return;
            }
        }
    }

    /** Speaks first, as SMTP or MySQL servers do, then closes. */
    private void greetForever() {
        while (!greeter.isClosed()) {
            try (Socket s = greeter.accept()) {
                s.getOutputStream().write("220 hello from the cloud\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            } catch (IOException closed) {
                return;
            }
        }
    }

    @AfterEach
    void stop() throws IOException {
        greeter.close();
        forwarder.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        echo.close();
    }

    /**
     * Binding the port again proves nobody listens there. A connect would not: the freed port
     * lies in the ephemeral range, so a client socket can meet itself there (TCP simultaneous
     * open). The JDK frees a closed listener's port only when its event loop next drops the
     * selection key, so the bind is retried for a while.
     */
    private static void assertNobodyListensOn(InetSocketAddress address) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            try (ServerSocket rebound = new ServerSocket()) {
                rebound.bind(address);
                assertThat(rebound.getLocalPort()).isEqualTo(address.getPort());
                return;
            } catch (java.net.BindException stillListening) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("something still listens on " + address, stillListening);
                }
                TimeUnit.MILLISECONDS.sleep(50);
            }
        }
    }

    private static Socket connect(InetSocketAddress address) throws IOException {
        Socket s = new Socket();
        s.setSoTimeout(20_000);
        s.connect(address, 10_000);
        return s;
    }

    @Test
    void bytesSentToTheListenerReachTheServicesCloudEndpointAndComeBack() throws Exception {
        InetSocketAddress listener = forwarder.listenerFor("shop", "api", 80);
        assertThat(listener.getAddress()).isEqualTo(LOOPBACK);
        byte[] data = new byte[3 * 1024 * 1024]; // more than a stream window, so credit must flow back
        new Random(3).nextBytes(data);
        try (Socket s = connect(listener)) {
            Thread writer = new Thread(() -> {
                try {
                    s.getOutputStream().write(data);
                } catch (IOException ignored) {
                    // the read side fails the test
                }
            });
            writer.start();
            byte[] back = s.getInputStream().readNBytes(data.length);
            writer.join();
            assertThat(back.length).as("bytes echoed back").isEqualTo(data.length);
            assertThat(java.util.Arrays.equals(back, data)).as("the echo equals what was sent").isTrue();
        }
        assertThat(offered).containsExactly("service/shop/api/80");
    }

    @Test
    void whatTheEndpointSaysFirstReachesTheClientBeforeTheConnectionEnds() throws Exception {
        InetSocketAddress listener = forwarder.listenerFor("shop", "greeter", 25);
        try (Socket s = connect(listener)) {
            assertThat(new String(s.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII))
                    .isEqualTo("220 hello from the cloud\r\n");
        }
    }

    @Test
    void aServicePortGetsOneListenerReusedUntilItIsReleased() throws Exception {
        InetSocketAddress first = forwarder.listenerFor("shop", "api", 80);
        assertThat(forwarder.listenerFor("shop", "api", 80)).isEqualTo(first);
        InetSocketAddress other = forwarder.listenerFor("shop", "api", 8080);
        assertThat(other).isNotEqualTo(first);
        assertThat(forwarder.listeners()).containsOnlyKeys(new ServiceTarget("shop", "api", 80), new ServiceTarget("shop", "api", 8080));

        forwarder.release("shop", "api", 80);
        assertNobodyListensOn(first);
        assertThat(forwarder.listeners()).containsOnlyKeys(new ServiceTarget("shop", "api", 8080));
    }

    @Test
    void aConnectionToAServiceTheServerRefusesIsClosedAtOnce() throws Exception {
        InetSocketAddress listener = forwarder.listenerFor("shop", "nowhere", 80);
        try (Socket s = connect(listener)) {
            assertThat(s.getInputStream().read()).isEqualTo(-1);
        }
        assertThat(offered).containsExactly("service/shop/nowhere/80");
    }

    @Test
    void withoutAnOpenTunnelAConnectionIsClosedAtOnce() throws Exception {
        agent.close("a test cuts the uplink");
        agent.closeFuture().await(10, TimeUnit.SECONDS);
        InetSocketAddress listener = forwarder.listenerFor("shop", "api", 80);
        try (Socket s = connect(listener)) {
            assertThat(s.getInputStream().read()).isEqualTo(-1);
        }
        assertThat(offered).isEmpty();
    }

    @Test
    void invalidServiceNamesAndPortsAreRefusedBeforeAnythingListens() {
        assertThatThrownBy(() -> forwarder.listenerFor("shop", "API", 80)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"API\" is not a valid Service name");
        assertThatThrownBy(() -> forwarder.listenerFor("shop", "api", 0)).hasMessageContaining("out of range");
        assertThat(forwarder.listeners()).isEmpty();
    }

    @Test
    void aClosedForwarderStopsItsListenersAndMakesNoNewOnes() throws Exception {
        InetSocketAddress listener = forwarder.listenerFor("shop", "api", 80);
        forwarder.close();
        assertNobodyListensOn(listener);
        assertThatThrownBy(() -> forwarder.listenerFor("shop", "api", 80)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
    }
}
