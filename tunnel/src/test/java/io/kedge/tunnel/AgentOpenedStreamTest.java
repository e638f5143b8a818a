package io.kedge.tunnel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Streams in the other direction: the agent opens them, and an acceptor on the server's end serves them. */
class AgentOpenedStreamTest {
    private static final TunnelSettings SETTINGS = new TunnelSettings(16 * 1024, Duration.ofSeconds(5),
            Duration.ofSeconds(25), Duration.ofSeconds(15));
    private SessionPair pair;

    @AfterEach
    void close() {
        if (pair != null) {
            pair.close();
        }
    }

    private static final class Sink extends ChannelInboundHandlerAdapter {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        @Override
        public synchronized void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf b = (ByteBuf) msg;
            bytes.writeBytes(ByteBufUtil.getBytes(b));
            b.release();
        }

        synchronized byte[] get() {
            return bytes.toByteArray();
        }
    }

    /** A server-side acceptor that dials the echo server for one service target and refuses the rest. */
    private static StreamAcceptor serveOnly(String target, java.net.InetSocketAddress address) {
        return (stream, offered) -> {
            if (offered.equals(target)) {
                StreamDialer.dialAndRelay(stream, address);
            } else {
                stream.reject("no such service: " + offered);
            }
        };
    }

    @Test
    void aStreamTheAgentOpensIsServedByTheServersAcceptorAndRelayedBothWays() throws Exception {
        try (EchoServer echo = new EchoServer()) {
            String target = TunnelProtocol.serviceTarget("shop", "orders", 80);
            pair = new SessionPair(new LocalDialer(Map.of("kubelet", echo.address())), serveOnly(target, echo.address()), SETTINGS);
            Sink back = new Sink();
            StreamChannel s = pair.acceptor.open(target, new ChannelInitializer<Channel>() {
                @Override
                protected void initChannel(Channel ch) {
                    ch.pipeline().addLast(back);
                }
            }).get(10, TimeUnit.SECONDS);
            assertThat(s.streamId() % 2).as("the agent opens even ids").isZero();
            byte[] data = new byte[200_000];
            new Random(7).nextBytes(data);
            s.writeAndFlush(Unpooled.wrappedBuffer(data));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (back.get().length < data.length && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(back.get()).isEqualTo(data);
        }
    }

    @Test
    void aStreamWithAWideWindowKeepsSendingWhenTheConnectionDrainsDuringItsOwnFlush() throws Exception {
        // with a 2 MiB window the connection, not the credit, is what fills up first
        try (EchoServer echo = new EchoServer()) {
            String target = TunnelProtocol.serviceTarget("shop", "orders", 80);
            pair = new SessionPair(new LocalDialer(Map.of()), serveOnly(target, echo.address()), TunnelSettings.DEFAULTS);
            Sink back = new Sink();
            StreamChannel s = pair.acceptor.open(target, new ChannelInitializer<Channel>() {
                @Override
                protected void initChannel(Channel ch) {
                    ch.pipeline().addLast(back);
                }
            }).get(10, TimeUnit.SECONDS);
            byte[] data = new byte[3 * 1024 * 1024];
            new Random(11).nextBytes(data);
            for (int off = 0; off < data.length; off += 32 * 1024) {
                s.write(Unpooled.wrappedBuffer(data, off, 32 * 1024));
            }
            s.flush();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (back.get().length < data.length && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(back.get().length).as("bytes echoed back").isEqualTo(data.length);
            assertThat(java.util.Arrays.equals(back.get(), data)).as("the echo equals what was sent").isTrue();
        }
    }

    @Test
    void aDeadCandidateIsSkippedForTheNextOneAndWhenAllAreDeadEachIsNamed() throws Exception {
        java.net.InetSocketAddress dead = deadAddress();
        java.net.InetSocketAddress alsoDead = deadAddress();
        try (EchoServer echo = new EchoServer()) {
            pair = new SessionPair(new LocalDialer(Map.of()), (stream, target) -> StreamDialer.dialAndRelay(stream,
                    target.endsWith("/80") ? java.util.List.of(dead, echo.address()) : java.util.List.of(dead, alsoDead)), SETTINGS);
            Sink back = new Sink();
            StreamChannel s = pair.acceptor.open("service/shop/orders/80", new ChannelInitializer<Channel>() {
                @Override
                protected void initChannel(Channel ch) {
                    ch.pipeline().addLast(back);
                }
            }).get(10, TimeUnit.SECONDS);
            s.writeAndFlush(Unpooled.wrappedBuffer(new byte[]{1, 2, 3}));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (back.get().length < 3 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(back.get()).containsExactly(1, 2, 3);
            assertThatThrownBy(() -> pair.acceptor.open("service/shop/orders/81", new ChannelInboundHandlerAdapter())
                    .get(10, TimeUnit.SECONDS))
                    .hasMessageContaining("dial for target \"service/shop/orders/81\": every endpoint failed: 127.0.0.1:"
                            + dead.getPort() + ": ")
                    .hasMessageContaining("; 127.0.0.1:" + alsoDead.getPort() + ": ");
        }
    }

    private static java.net.InetSocketAddress deadAddress() throws java.io.IOException {
        try (var socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return (java.net.InetSocketAddress) socket.getLocalSocketAddress();
        }
    }

    @Test
    void aTargetTheServersAcceptorRefusesFailsTheAgentsOpenWithTheReason() throws Exception {
        try (EchoServer echo = new EchoServer()) {
            pair = new SessionPair(new LocalDialer(Map.of("kubelet", echo.address())),
                    serveOnly("service/shop/orders/80", echo.address()), SETTINGS);
            assertThatThrownBy(() -> pair.acceptor.open("service/shop/payments/80", new ChannelInboundHandlerAdapter())
                    .get(10, TimeUnit.SECONDS)).hasMessageContaining("no such service: service/shop/payments/80");
        }
    }

    @Test
    void aServerWithoutAnAcceptorRefusesEveryStreamTheAgentOpens() throws Exception {
        try (EchoServer echo = new EchoServer()) {
            pair = new SessionPair(new LocalDialer(Map.of("kubelet", echo.address())), SETTINGS);
            assertThatThrownBy(() -> pair.acceptor.open("service/shop/orders/80", new ChannelInboundHandlerAdapter())
                    .get(10, TimeUnit.SECONDS)).hasMessageContaining("this side does not accept streams");
        }
    }

    @Test
    void aServiceTargetWhoseEndpointDoesNotAnswerIsRefusedWithTheDialError() throws Exception {
        java.net.InetSocketAddress dead;
        try (var socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            dead = (java.net.InetSocketAddress) socket.getLocalSocketAddress();
        }
        pair = new SessionPair(new LocalDialer(Map.of()), serveOnly("service/shop/orders/80", dead), SETTINGS);
        assertThatThrownBy(() -> pair.acceptor.open("service/shop/orders/80", new ChannelInboundHandlerAdapter())
                .get(10, TimeUnit.SECONDS))
                .hasMessageContaining("dial 127.0.0.1:" + dead.getPort() + " for target \"service/shop/orders/80\"");
    }
}
