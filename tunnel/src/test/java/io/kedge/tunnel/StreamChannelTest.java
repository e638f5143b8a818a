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
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class StreamChannelTest {
    private static final TunnelSettings SETTINGS = new TunnelSettings(16 * 1024, Duration.ofSeconds(5),
            Duration.ofSeconds(25), Duration.ofSeconds(15));
    private SessionPair pair;

    @AfterEach
    void close() {
        if (pair != null) {
            pair.close();
        }
    }

    /** Collects a stream's bytes; a test decides when it may read. */
    private static final class Sink extends ChannelInboundHandlerAdapter {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        volatile boolean inactive;

        @Override
        public synchronized void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf b = (ByteBuf) msg;
            bytes.writeBytes(ByteBufUtil.getBytes(b));
            b.release();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            inactive = true;
        }

        synchronized int size() {
            return bytes.size();
        }

        synchronized byte[] get() {
            return bytes.toByteArray();
        }
    }

    /** The acceptor side: every offered stream is accepted into a sink that reads only when its target says so. */
    private final Map<String, Sink> sinks = new ConcurrentHashMap<>();
    private final BlockingQueue<StreamChannel> accepted = new LinkedBlockingQueue<>();

    private StreamAcceptor acceptIntoSinks() {
        return (stream, target) -> {
            Sink sink = new Sink();
            sinks.put(target, sink);
            stream.config().setAutoRead(!target.startsWith("stalled"));
            stream.pipeline().addLast(sink);
            accepted.add(stream);
            stream.accept();
        };
    }

    private StreamChannel open(String target) throws Exception {
        return pair.opener.open(target, new ChannelInboundHandlerAdapter()).get(10, TimeUnit.SECONDS);
    }

    private static byte[] random(int n) {
        byte[] b = new byte[n];
        new Random(n).nextBytes(b);
        return b;
    }

    private static void await(String what, java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(10);
        }
    }

    @Test
    void aStalledStreamDoesNotBlockAnotherOnTheSameConnection() throws Exception {
        pair = new SessionPair(acceptIntoSinks(), SETTINGS);
        StreamChannel stalled = open("stalled");
        StreamChannel busy = open("busy");
        byte[] big = random(1024 * 1024);

        stalled.writeAndFlush(Unpooled.wrappedBuffer(big));
        busy.writeAndFlush(Unpooled.wrappedBuffer(big));

        await("the busy stream delivered its megabyte", () -> sinks.get("busy").size() == big.length);
        assertThat(sinks.get("busy").get()).isEqualTo(big);
        assertThat(sinks.get("stalled").size()).isZero();
        // the stalled stream's sender holds what its credit does not cover, so it says it is full
        assertThat(stalled.isWritable()).isFalse();

        StreamChannel stalledEnd = accepted.stream().filter(s -> s.target().equals("stalled")).findFirst().orElseThrow();
        stalledEnd.config().setAutoRead(true);
        await("the stalled stream caught up", () -> sinks.get("stalled").size() == big.length);
        assertThat(sinks.get("stalled").get()).isEqualTo(big);
    }

    @Test
    void aCloseArrivesAfterAllTheDataSentBeforeIt() throws Exception {
        pair = new SessionPair(acceptIntoSinks(), SETTINGS);
        StreamChannel s = open("closing");
        byte[] data = random(200_000);
        s.write(Unpooled.wrappedBuffer(data));
        s.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(f -> s.close());

        await("the peer's end closed", () -> sinks.get("closing").inactive);
        assertThat(sinks.get("closing").get()).isEqualTo(data);
        await("both sessions forgot the stream", () -> pair.opener.streamCount() == 0 && pair.acceptor.streamCount() == 0);
    }

    @Test
    void aRefusedOpenFailsWithTheAcceptorsReason() {
        StreamAcceptor refuse = (stream, target) -> stream.reject("no such thing as " + target);
        assertThatThrownBy(() -> {
            pair = new SessionPair(refuse, SETTINGS);
            open("printer");
        }).isInstanceOf(ExecutionException.class).hasCauseInstanceOf(TunnelException.class)
                .hasMessageContaining("no such thing as printer");
    }

    @Test
    void aResetEndsTheStreamOnBothSidesWithItsReason() throws Exception {
        pair = new SessionPair(acceptIntoSinks(), SETTINGS);
        StreamChannel s = open("doomed");
        StreamChannel far = accepted.poll(10, TimeUnit.SECONDS);
        far.reset("the container went away");
        s.closeFuture().await(10, TimeUnit.SECONDS);
        assertThat(s.isOpen()).isFalse();
        assertThat(s.endReason()).isEqualTo("the container went away");
    }

    @Test
    void losingTheConnectionEndsEveryStream() throws Exception {
        pair = new SessionPair(acceptIntoSinks(), SETTINGS);
        StreamChannel a = open("a");
        StreamChannel b = open("b");
        pair.acceptor.close("going away for a test");
        a.closeFuture().await(10, TimeUnit.SECONDS);
        b.closeFuture().await(10, TimeUnit.SECONDS);
        assertThat(a.isOpen()).isFalse();
        assertThat(b.endReason()).contains("going away for a test");
    }

    @Test
    void streamsRelayToTheLocalTargetTheDialerConnects() throws Exception {
        try (EchoServer echo = new EchoServer()) {
            pair = new SessionPair(new LocalDialer(Map.of("echo", echo.address())), SETTINGS);
            Sink back = new Sink();
            StreamChannel s = pair.opener.open("echo", new ChannelInitializer<Channel>() {
                @Override
                protected void initChannel(Channel ch) {
                    ch.pipeline().addLast(back);
                }
            }).get(10, TimeUnit.SECONDS);
            byte[] data = random(300_000);
            s.writeAndFlush(Unpooled.wrappedBuffer(data));
            await("the echo came back", () -> back.size() == data.length);
            assertThat(back.get()).isEqualTo(data);
        }
    }

    @Test
    void fiftyConcurrentStreamsEachGetTheirOwnBytesBack() throws Exception {
        try (EchoServer echo = new EchoServer()) {
            pair = new SessionPair(new LocalDialer(Map.of("echo", echo.address())), SETTINGS);
            java.util.List<Sink> backs = new java.util.ArrayList<>();
            java.util.List<byte[]> sent = new java.util.ArrayList<>();
            for (int i = 0; i < 50; i++) {
                Sink back = new Sink();
                StreamChannel s = pair.opener.open("echo", new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(back);
                    }
                }).get(10, TimeUnit.SECONDS);
                byte[] data = random(40_000 + i);
                s.writeAndFlush(Unpooled.wrappedBuffer(data));
                backs.add(back);
                sent.add(data);
            }
            for (int i = 0; i < 50; i++) {
                int n = i;
                await("stream " + n + " got its echo", () -> backs.get(n).size() == sent.get(n).length);
                assertThat(backs.get(n).get()).isEqualTo(sent.get(n));
            }
        }
    }

    @Test
    void anOpenForAnUnknownTargetOrADeadPortIsRefusedWithTheReason() throws Exception {
        java.net.InetSocketAddress dead;
        try (var s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            dead = (java.net.InetSocketAddress) s.getLocalSocketAddress();
        }
        pair = new SessionPair(new LocalDialer(Map.of("kubelet", dead)), SETTINGS);
        assertThatThrownBy(() -> open("printer")).hasMessageContaining("unknown target \"printer\"; this agent serves [kubelet]");
        assertThatThrownBy(() -> open("kubelet")).hasMessageContaining("dial 127.0.0.1:" + dead.getPort());
    }
}
