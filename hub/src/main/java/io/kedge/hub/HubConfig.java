package io.kedge.hub;

import io.kedge.pki.IssuedCertificate;
import io.kedge.pki.Kubeconfig;
import java.net.URI;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;

/**
 * What the hub is told.
 *
 * @param servers        the cloud API servers, tried in order; a connection failure moves to the next
 * @param identity       the node's client certificate, or null when the node authenticates with a token
 * @param token          a bearer token, or null
 * @param serverCa       the CA the cloud servers' certificates are checked against
 * @param nodeName       the node whose Lease the hub renews
 * @param dataDir        where the cache and the journal live ({@code <agent data dir>/hub})
 * @param port           the loopback port node components connect to; 0 picks a free one
 * @param leaseInterval  how often the Lease is renewed, which is also how often cloud health is measured (10 s)
 * @param leaseTimeout   how long one renewal may take before it counts as a failure (2 s)
 * @param kubeletGrace   how long after the kubelet's last heartbeat the hub keeps renewing (40 s)
 * @param pods           the HTTPS endpoint for the node's pods ({@code kubernetes.default}); null: none
 */
public record HubConfig(List<URI> servers, IssuedCertificate identity, String token, X509Certificate serverCa,
                        String nodeName, Path dataDir, int port, Duration leaseInterval, Duration leaseTimeout,
                        Duration kubeletGrace, PodEndpoint pods) {
    public static final int DEFAULT_PORT = 10261;

    /** Without an endpoint for pods. */
    public HubConfig(List<URI> servers, IssuedCertificate identity, String token, X509Certificate serverCa, String nodeName,
                     Path dataDir, int port, Duration leaseInterval, Duration leaseTimeout, Duration kubeletGrace) {
        this(servers, identity, token, serverCa, nodeName, dataDir, port, leaseInterval, leaseTimeout, kubeletGrace, null);
    }

    public HubConfig {
        if (servers == null || servers.isEmpty()) {
            throw new IllegalArgumentException("the hub needs at least one cloud server URL");
        }
        for (URI server : servers) {
            if (!"https".equals(server.getScheme()) || server.getHost() == null) {
                throw new IllegalArgumentException("cloud server URL " + server + " must be https://HOST[:PORT]");
            }
        }
        servers = List.copyOf(servers);
        if (identity == null && token == null) {
            throw new IllegalArgumentException("the hub needs the node's credentials: a client certificate or a token");
        }
        if (serverCa == null) {
            throw new IllegalArgumentException("the hub needs the cloud's CA certificate to check the servers");
        }
        if (nodeName == null || nodeName.isEmpty()) {
            throw new IllegalArgumentException("the hub needs the node's name");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("hub port " + port + " is not a TCP port (0 to 65535)");
        }
        if (leaseInterval.isNegative() || leaseInterval.isZero() || leaseTimeout.isNegative() || leaseTimeout.isZero()) {
            throw new IllegalArgumentException("the lease interval and timeout must be positive");
        }
        dataDir = dataDir.toAbsolutePath();
    }

    /**
     * The upstream cadence (Lease every 10 s, 2 s timeout, kubelet dead after 40 s) with the
     * kubeconfig's credentials; {@code servers} empty uses the kubeconfig's server.
     */
    public static HubConfig of(List<URI> servers, Kubeconfig kubeconfig, String nodeName, Path dataDir, int port) {
        List<URI> cloud = servers == null || servers.isEmpty() ? List.of(URI.create(kubeconfig.server())) : servers;
        X509Certificate ca = kubeconfig.certificateAuthority().orElseThrow(() -> new IllegalArgumentException(
                "the kubeconfig names no certificate authority, so the hub cannot check the cloud's certificate"));
        return new HubConfig(cloud, kubeconfig.clientCertificate().orElse(null), kubeconfig.token().orElse(null), ca,
                nodeName, dataDir, port, Duration.ofSeconds(10), Duration.ofSeconds(2), Duration.ofSeconds(40));
    }

    /** The same settings with another renewal cadence; tests shorten it. */
    public HubConfig withLease(Duration interval, Duration timeout, Duration grace) {
        return new HubConfig(servers, identity, token, serverCa, nodeName, dataDir, port, interval, timeout, grace, pods);
    }

    /** The same settings, serving the node's pods at {@code endpoint} (null: not at all). */
    public HubConfig withPods(PodEndpoint endpoint) {
        return new HubConfig(servers, identity, token, serverCa, nodeName, dataDir, port, leaseInterval, leaseTimeout,
                kubeletGrace, endpoint);
    }
}
