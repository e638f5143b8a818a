package io.kedge.tunnel;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class KeepaliveTest {
    private static final TunnelSettings SETTINGS = new TunnelSettings(64 * 1024, Duration.ofSeconds(5),
            Duration.ofSeconds(25), Duration.ofSeconds(15));

    /** Stands in for the session: collects what the keepalive lets through and any failure. */
    private static final class Behind extends ChannelInboundHandlerAdapter {
        final List<Object> passed = new ArrayList<>();
        final List<Throwable> failures = new ArrayList<>();

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            passed.add(msg);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            failures.add(cause);
            ctx.close();
        }
    }

    private static void advance(EmbeddedChannel ch, long seconds) {
        for (long s = 0; s < seconds; s++) {
            ch.advanceTimeBy(1, TimeUnit.SECONDS);
            ch.runScheduledPendingTasks();
        }
    }

    private static List<Frame> written(EmbeddedChannel ch) {
        List<Frame> out = new ArrayList<>();
        Frame f;
        while ((f = ch.readOutbound()) != null) {
            out.add(f);
        }
        return out;
    }

    @Test
    void aSilentPeerIsDeclaredDeadAfterTheIdleTimeout() {
        Behind behind = new Behind();
        EmbeddedChannel ch = new EmbeddedChannel(new Keepalive(SETTINGS), behind);
        advance(ch, 20);
        assertThat(ch.isActive()).isTrue();
        advance(ch, 10);
        assertThat(ch.isActive()).isFalse();
        assertThat(behind.failures).singleElement().extracting(Throwable::getMessage).asString()
                .contains("the link is dead");
    }

    @Test
    void aPeerThatKeepsTalkingIsNeverDeclaredDead() {
        Behind behind = new Behind();
        EmbeddedChannel ch = new EmbeddedChannel(new Keepalive(SETTINGS), behind);
        for (int i = 0; i < 30; i++) {
            advance(ch, 4);
            ch.writeInbound(Frame.pong(i));
        }
        assertThat(ch.isActive()).isTrue();
        assertThat(behind.failures).isEmpty();
        ch.finishAndReleaseAll();
    }

    @Test
    void anIdleSidePingsAndAnswersPingsWithPongs() {
        EmbeddedChannel ch = new EmbeddedChannel(new Keepalive(SETTINGS), new Behind());
        advance(ch, 5);
        List<Frame> out = written(ch);
        assertThat(out).extracting(Frame::type).containsExactly(FrameType.PING);
        out.forEach(Frame::release);

        ch.writeInbound(Frame.ping(1234));
        out = written(ch);
        assertThat(out).singleElement().satisfies(f -> {
            assertThat(f.type()).isEqualTo(FrameType.PONG);
            assertThat(f.pingData()).isEqualTo(1234);
        });
        out.forEach(Frame::release);
        ch.finishAndReleaseAll();
    }

    @Test
    void streamFramesPassThroughToTheSession() {
        Behind behind = new Behind();
        EmbeddedChannel ch = new EmbeddedChannel(new Keepalive(SETTINGS), behind);
        ch.writeInbound(Frame.close(3));
        assertThat(behind.passed).singleElement().isInstanceOf(Frame.class);
        ((Frame) behind.passed.get(0)).release();
        ch.finishAndReleaseAll();
    }
}
