package io.kedge.tunnel;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.util.ReferenceCountUtil;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class DeadLinkTest {

    /** Once switched on, every byte in either direction vanishes, as on a link that died without a FIN. */
    private static final class BlackHole extends ChannelDuplexHandler {
        volatile boolean on;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (on) {
                ReferenceCountUtil.release(msg);
            } else {
                ctx.fireChannelRead(msg);
            }
        }

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            if (on) {
                ReferenceCountUtil.release(msg);
                promise.trySuccess();
            } else {
                ctx.write(msg, promise);
            }
        }
    }

    @Test
    void aSessionOnALinkThatWentSilentClosesAndEndsItsStreams() throws Exception {
        TunnelSettings quick = new TunnelSettings(64 * 1024, Duration.ofMillis(100), Duration.ofMillis(400),
                Duration.ofSeconds(10));
        BlackHole hole = new BlackHole();
        StreamAcceptor accept = (stream, target) -> stream.accept();
        try (SessionPair pair = new SessionPair(accept, quick, TunnelSettings.DEFAULTS, hole)) {
            StreamChannel stream = pair.opener.open("kubelet", new ChannelInboundHandlerAdapter()).get(10, TimeUnit.SECONDS);
            hole.on = true;

            assertThat(pair.opener.closeFuture().await(20, TimeUnit.SECONDS)).isTrue();
            assertThat(pair.opener.closeReason()).contains("the link is dead");
            assertThat(stream.closeFuture().await(5, TimeUnit.SECONDS)).isTrue();
            assertThat(stream.endReason()).contains("the link is dead");
        }
    }

    @Test
    void aQuietButHealthyLinkStaysUpAcrossManyIdleTimeouts() throws Exception {
        TunnelSettings quick = new TunnelSettings(64 * 1024, Duration.ofMillis(100), Duration.ofMillis(1000),
                Duration.ofSeconds(10));
        StreamAcceptor accept = (stream, target) -> stream.accept();
        try (SessionPair pair = new SessionPair(accept, quick, quick, null)) {
            // pings keep both sides hearing from each other while nothing else flows
            assertThat(pair.opener.closeFuture().await(3500, TimeUnit.MILLISECONDS)).isFalse();
            assertThat(pair.opener.isOpen()).isTrue();
            assertThat(pair.acceptor.isOpen()).isTrue();
        }
    }
}
