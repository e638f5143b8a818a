package io.kedge.apiserver.tunnel;

import io.kedge.tunnel.TunnelSession;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live tunnels of this server, by node name, and when each node's last one ended, so that a
 * request for a node without a tunnel is answered at once with that time.
 */
public final class TunnelRegistry implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TunnelRegistry.class);

    private final Clock clock;
    private final Map<String, TunnelSession> live = new ConcurrentHashMap<>();
    private final Map<String, Instant> disconnected = new ConcurrentHashMap<>();

    public TunnelRegistry(Clock clock) {
        this.clock = clock;
    }

    /** Makes {@code session} the node's tunnel; an older one is told it was replaced and closed. */
    public void register(String node, TunnelSession session) {
        TunnelSession previous = live.put(node, session);
        disconnected.remove(node);
        LOG.info("tunnel from node {} is up ({})", node, session.remoteAddress());
        if (previous != null && previous != session) {
            previous.close("replaced by a newer tunnel from the same node");
        }
        session.closeFuture().addListener(f -> {
            if (live.remove(node, session)) {
                disconnected.put(node, clock.instant());
                LOG.info("tunnel from node {} is down: {}", node, session.closeReason());
            }
        });
    }

    public Optional<TunnelSession> session(String node) {
        TunnelSession s = live.get(node);
        return s != null && s.isOpen() ? Optional.of(s) : Optional.empty();
    }

    /** When the node's last tunnel ended; empty while one is up, or if it never had one here. */
    public Optional<Instant> disconnectedAt(String node) {
        return Optional.ofNullable(disconnected.get(node));
    }

    public Set<String> connectedNodes() {
        return Set.copyOf(live.keySet());
    }

    @Override
    public void close() {
        live.values().forEach(s -> s.close("the server is shutting down"));
    }
}
