package io.kedge.apiserver.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;

/** Watch events as WebSocket text messages, one event each, the way fabric8 reads them. */
public final class WebSocketSink implements StreamSink {
    private final Channel channel;
    private volatile boolean closed;

    public WebSocketSink(Channel channel) {
        this.channel = channel;
    }

    @Override
    public boolean write(byte[] message, boolean flush) {
        if (closed || !channel.isActive()) {
            return false;
        }
        if (!channel.isWritable() && channel.unsafe().outboundBuffer() != null
                && channel.unsafe().outboundBuffer().totalPendingWriteBytes() > StreamingResponse.MAX_PENDING_BYTES) {
            // a client this far behind will not catch up; it re-lists after reconnecting
            closed = true;
            channel.close();
            return false;
        }
        var frame = new TextWebSocketFrame(Unpooled.wrappedBuffer(message));
        if (flush) channel.writeAndFlush(frame);
        else channel.write(frame);
        return true;
    }

    @Override
    public void flush() {
        channel.flush();
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        if (channel.isActive()) {
            channel.writeAndFlush(new CloseWebSocketFrame(1000, "")).addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public boolean isOpen() {
        return !closed && channel.isActive();
    }

    @Override
    public Channel channel() {
        return channel;
    }
}
