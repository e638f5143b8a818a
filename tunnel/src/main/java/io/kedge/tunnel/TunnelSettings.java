package io.kedge.tunnel;

import java.time.Duration;

/**
 * The tunables of a session: the receive window granted to the peer for each stream, how often an
 * idle side pings, how long silence means a dead link, and how long an OPEN may wait for its answer.
 */
public record TunnelSettings(int streamWindow, Duration pingInterval, Duration idleTimeout, Duration openTimeout) {
    /** A dead link is found within {@code idleTimeout + pingInterval} = 30 s. */
    public static final TunnelSettings DEFAULTS = new TunnelSettings(2 * 1024 * 1024, Duration.ofSeconds(5),
            Duration.ofSeconds(25), Duration.ofSeconds(15));

    public TunnelSettings {
        if (streamWindow < 1024) {
            throw new IllegalArgumentException("the stream window must be at least 1024 bytes, got " + streamWindow);
        }
        requirePositive("pingInterval", pingInterval);
        requirePositive("idleTimeout", idleTimeout);
        requirePositive("openTimeout", openTimeout);
        if (idleTimeout.compareTo(pingInterval) <= 0) {
            throw new IllegalArgumentException("the idle timeout (" + idleTimeout + ") must be longer than the ping interval ("
                    + pingInterval + "), or an idle but healthy link would be closed");
        }
    }

    private static void requirePositive(String name, Duration d) {
        if (d == null || d.isZero() || d.isNegative()) {
            throw new IllegalArgumentException(name + " must be a positive duration, got " + d);
        }
    }
}
