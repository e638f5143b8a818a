package io.kedge.tunnel;

/** A peer broke the tunnel protocol; the connection ends with a GOAWAY naming the reason. */
public final class TunnelProtocolException extends RuntimeException {
    public TunnelProtocolException(String message) {
        super(message);
    }
}
