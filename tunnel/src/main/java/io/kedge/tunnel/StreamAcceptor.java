package io.kedge.tunnel;

/**
 * Decides about a stream the peer wants to open. It must end in {@link StreamChannel#accept()} or
 * {@link StreamChannel#reject(String)}, at once or later (after dialing the target, say). It runs on
 * the connection's event loop and must not block.
 */
@FunctionalInterface
public interface StreamAcceptor {
    void offered(StreamChannel stream, String target);

    /** For a side that opens streams but accepts none (the server). */
    StreamAcceptor REFUSE_ALL = (stream, target) -> stream.reject("this side does not accept streams");
}
