package io.kedge.tunnel;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.AbstractScheduledEventExecutor;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * Finds a dead link: it pings when nothing has arrived for a ping interval, answers the peer's
 * pings, and fails the connection when nothing at all has arrived for the idle timeout. TCP alone
 * can take many minutes to notice a peer that vanished behind a NAT.
 */
public final class Keepalive extends ChannelInboundHandlerAdapter {
    private final long pingNanos;
    private final long idleNanos;
    private long lastReceived;
    private long pings;
    private ScheduledFuture<?> timer;

    public Keepalive(TunnelSettings settings) {
        this.pingNanos = settings.pingInterval().toNanos();
        this.idleNanos = settings.idleTimeout().toNanos();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        if (ctx.channel().isActive()) {
            start(ctx);
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        start(ctx);
        ctx.fireChannelActive();
    }

    private void start(ChannelHandlerContext ctx) {
        if (timer == null) {
            lastReceived = now(ctx.executor());
            schedule(ctx);
        }
    }

    private void schedule(ChannelHandlerContext ctx) {
        timer = ctx.executor().schedule(() -> check(ctx), pingNanos, TimeUnit.NANOSECONDS);
    }

    private void check(ChannelHandlerContext ctx) {
        if (!ctx.channel().isActive()) {
            return;
        }
        long silent = now(ctx.executor()) - lastReceived;
        if (silent >= idleNanos) {
            ctx.fireExceptionCaught(new IOException("nothing arrived from the peer for "
                    + TimeUnit.NANOSECONDS.toSeconds(silent) + "s: the link is dead"));
            return;
        }
        if (silent >= pingNanos) {
            ctx.writeAndFlush(Frame.ping(++pings), ctx.voidPromise());
        }
        schedule(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        lastReceived = now(ctx.executor());
        if (msg instanceof Frame f && f.type() == FrameType.PING) {
            ctx.writeAndFlush(Frame.pong(f.pingData()), ctx.voidPromise());
            f.release();
        } else if (msg instanceof Frame f && f.type() == FrameType.PONG) {
            f.release();
        } else {
            ctx.fireChannelRead(msg);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        stop();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        stop();
    }

    private void stop() {
        if (timer != null) {
            timer.cancel(false);
        }
    }

    private static long now(EventExecutor executor) {
        return executor instanceof AbstractScheduledEventExecutor s ? s.ticker().nanoTime() : System.nanoTime();
    }
}
