package io.kedge.apiserver.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.LastHttpContent;

/**
 * The body of a chunked response. Writes may come from any thread; Netty keeps their order.
 * A client that stops reading is cut off once it has more than {@link #MAX_PENDING_BYTES} queued.
 */
public final class StreamingResponse implements StreamSink {
    static final long MAX_PENDING_BYTES = 32L * 1024 * 1024;
    private final Channel channel;
    private volatile boolean closed;

    StreamingResponse(Channel channel) {
        this.channel = channel;
    }

    @Override
    public boolean write(byte[] bytes, boolean flush) {
        if (closed || !channel.isActive()) {
            return false;
        }
        if (!channel.isWritable() && pending() > MAX_PENDING_BYTES) {
            // a client this far behind will not catch up; it re-lists after reconnecting
            closed = true;
            channel.close();
            return false;
        }
        var content = new DefaultHttpContent(Unpooled.wrappedBuffer(bytes));
        if (flush) {
            channel.writeAndFlush(content);
        } else {
            channel.write(content);
        }
        return true;
    }

    @Override
    public void flush() {
        channel.flush();
    }

    private long pending() {
        var buf = channel.unsafe().outboundBuffer();
        return buf == null ? 0 : buf.totalPendingWriteBytes();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (channel.isActive()) {
            channel.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
        }
    }

    @Override
    public Channel channel() {
        return channel;
    }

    @Override
    public boolean isOpen() {
        return !closed && channel.isActive();
    }
}
