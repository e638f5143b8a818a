package io.kedge.apiserver.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;

/**
 * Holds inbound messages while a pipeline is rebuilt at a protocol switch: the old codec, when
 * removed, hands it the bytes it had already read, and the hold passes them on, in order, to the
 * new handlers once it is removed in turn.
 */
final class InboundHold extends ChannelInboundHandlerAdapter {
    private final ArrayDeque<Object> held = new ArrayDeque<>();
    private boolean inactive;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        held.add(msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        // swallowed: whoever comes next sees the held messages on removal
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        inactive = true;
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        boolean any = !held.isEmpty();
        Object msg;
        while ((msg = held.poll()) != null) {
            if (ctx.channel().isOpen()) {
                ctx.fireChannelRead(msg);
            } else {
                ReferenceCountUtil.release(msg);
            }
        }
        if (any) {
            ctx.fireChannelReadComplete();
        }
        if (inactive) {
            ctx.fireChannelInactive();
        }
    }
}
