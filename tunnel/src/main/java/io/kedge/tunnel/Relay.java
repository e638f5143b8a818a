package io.kedge.tunnel;

import io.netty.buffer.ByteBufHolder;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies bytes both ways between two channels, each reading only while the other can take more:
 * a side whose peer is unwritable stops auto-reading until the peer drains. When either side
 * closes, the other closes after what it was given has been written.
 */
public final class Relay extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(Relay.class);
    private final Channel peer;

    private Relay(Channel peer) {
        this.peer = peer;
    }

    /** Couples the two channels and starts both reading; either may still be opening. */
    public static void between(Channel a, Channel b) {
        attach(a, b);
        attach(b, a);
    }

    /**
     * One direction: what {@code from} reads goes to {@code to}. Call it on {@code from}'s event loop
     * when bytes held in {@code from}'s pipeline must reach {@code to} before newly read ones.
     */
    public static void attach(Channel from, Channel to) {
        from.pipeline().addLast("relay", new Relay(to));
        from.config().setAutoRead(true);
        if (!to.isOpen()) {
            // on to's loop, so that whatever to's own relay wrote to from before closing is queued first
            to.eventLoop().execute(() -> closeAfterFlush(from));
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        Object bytes = msg;
        if (msg instanceof ByteBufHolder holder) {
            // leftovers of an HTTP codec removed at an upgrade arrive as content
            bytes = holder.content().retain();
            ReferenceCountUtil.release(msg);
        }
        if (bytes instanceof io.netty.buffer.ByteBuf b && !b.isReadable()) {
            b.release();
            return;
        }
        peer.write(bytes).addListener((ChannelFutureListener) f -> {
            if (!f.isSuccess()) {
                LOG.debug("relay write to {} failed: {}", peer, f.cause().toString());
                ctx.close();
            }
        });
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        peer.flush();
        if (!peer.isWritable()) {
            ctx.channel().config().setAutoRead(false);
            // the peer may have drained between the test and the switch; its event would be lost
            if (peer.isWritable()) {
                ctx.channel().config().setAutoRead(true);
            }
        }
        ctx.fireChannelReadComplete();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable()) {
            peer.config().setAutoRead(true);
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        closeAfterFlush(peer);
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("relay {} failed: {}", ctx.channel(), cause.toString());
        ctx.close();
    }

    static void closeAfterFlush(Channel channel) {
        if (channel.isOpen()) {
            channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }
    }
}
