package io.kedge.tunnel;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * What an agent's tunnel client needs: the server's URL, the node's name and the files of its
 * client certificate, key and the cluster CA (read again before every connection attempt), the
 * local addresses each stream target dials, and the back-off and session tunables.
 */
public record TunnelClientConfig(URI server, String nodeName, Path certFile, Path keyFile, Path caFile,
                                 Map<String, InetSocketAddress> targets, Duration initialBackoff,
                                 Duration maxBackoff, TunnelSettings settings) {
    public static final InetSocketAddress DEFAULT_KUBELET = new InetSocketAddress("127.0.0.1", 10250);
    public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofMillis(500);
    /** Short enough that a restored uplink brings the tunnel back within seconds. */
    public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(10);

    public TunnelClientConfig {
        if (server == null || !"https".equals(server.getScheme()) || server.getHost() == null) {
            throw new IllegalArgumentException("the tunnel server must be an https:// URL with a host, got " + server);
        }
        TunnelProtocol.requireNodeName(nodeName);
        requireSet("certFile", certFile);
        requireSet("keyFile", keyFile);
        requireSet("caFile", caFile);
        requireSet("targets", targets);
        targets = Map.copyOf(targets);
        if (targets.isEmpty()) {
            throw new IllegalArgumentException("a tunnel client needs at least one target to serve");
        }
        new Backoff(initialBackoff, maxBackoff, new java.util.Random()); // validates both
        requireSet("settings (TunnelSettings.DEFAULTS will do)", settings);
    }

    private static void requireSet(String name, Object value) {
        if (value == null) {
            throw new IllegalArgumentException(name + " must be set");
        }
    }

    /** The defaults: the kubelet at 127.0.0.1:10250 as target "kubelet", 0.5 s to 10 s back-off. */
    public static TunnelClientConfig of(URI server, String nodeName, Path certFile, Path keyFile, Path caFile) {
        return new TunnelClientConfig(server, nodeName, certFile, keyFile, caFile,
                Map.of(TunnelProtocol.KUBELET, DEFAULT_KUBELET), DEFAULT_INITIAL_BACKOFF, DEFAULT_MAX_BACKOFF,
                TunnelSettings.DEFAULTS);
    }

    public TunnelClientConfig withTargets(Map<String, InetSocketAddress> newTargets) {
        return new TunnelClientConfig(server, nodeName, certFile, keyFile, caFile, newTargets, initialBackoff,
                maxBackoff, settings);
    }

    public TunnelClientConfig withBackoff(Duration initial, Duration max) {
        return new TunnelClientConfig(server, nodeName, certFile, keyFile, caFile, targets, initial, max, settings);
    }

    public TunnelClientConfig withSettings(TunnelSettings newSettings) {
        return new TunnelClientConfig(server, nodeName, certFile, keyFile, caFile, targets, initialBackoff,
                maxBackoff, newSettings);
    }

    int port() {
        return server.getPort() > 0 ? server.getPort() : 443;
    }
}
