package io.kedge.tunnel;

/** A stream could not be opened or was reset by the peer; the message says why, in the peer's words. */
public final class TunnelException extends Exception {
    public TunnelException(String message) {
        super(message);
    }
}
