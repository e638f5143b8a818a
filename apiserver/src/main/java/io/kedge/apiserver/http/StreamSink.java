package io.kedge.apiserver.http;

import io.netty.channel.Channel;

/** Where a long-running response (a watch) writes its messages: a chunked body or WebSocket frames. */
public interface StreamSink {
    /** @return false when the stream is gone and the caller should stop. */
    boolean write(byte[] message, boolean flush);

    void flush();

    void close();

    boolean isOpen();

    Channel channel();
}
