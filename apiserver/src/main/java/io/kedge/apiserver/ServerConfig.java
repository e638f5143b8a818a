package io.kedge.apiserver;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** Everything {@code kedge server} is told on its command line. */
public record ServerConfig(
        Path dataDir,
        String bindAddress,
        int securePort,
        String advertiseAddress,
        String store,
        List<String> etcdServers,
        String serviceCidr,
        Path tokenFile,
        Duration history,
        int workerThreads,
        Duration requestBodyTimeout,
        Path encryptionConfig,
        Path auditLog,
        Duration eventTtl,
        boolean extendTokenExpiration) {
    /** How long an Event is kept after it last changed, as kube-apiserver's --event-ttl default. */
    public static final Duration DEFAULT_EVENT_TTL = Duration.ofHours(1);

    /** Pods' API-access tokens valid for a year (refreshed hourly), as kube-apiserver's default. */
    public ServerConfig(Path dataDir, String bindAddress, int securePort, String advertiseAddress, String store,
                        List<String> etcdServers, String serviceCidr, Path tokenFile, Duration history, int workerThreads,
                        Duration requestBodyTimeout, Path encryptionConfig, Path auditLog, Duration eventTtl) {
        this(dataDir, bindAddress, securePort, advertiseAddress, store, etcdServers, serviceCidr, tokenFile, history,
                workerThreads, requestBodyTimeout, encryptionConfig, auditLog, eventTtl, true);
    }

    public ServerConfig(Path dataDir, String bindAddress, int securePort, String advertiseAddress, String store,
                        List<String> etcdServers, String serviceCidr, Path tokenFile, Duration history, int workerThreads,
                        Duration requestBodyTimeout, Path encryptionConfig, Path auditLog) {
        this(dataDir, bindAddress, securePort, advertiseAddress, store, etcdServers, serviceCidr, tokenFile, history,
                workerThreads, requestBodyTimeout, encryptionConfig, auditLog, DEFAULT_EVENT_TTL);
    }

    /** No encryption at rest, no audit log. */
    public ServerConfig(Path dataDir, String bindAddress, int securePort, String advertiseAddress, String store,
                        List<String> etcdServers, String serviceCidr, Path tokenFile, Duration history, int workerThreads,
                        Duration requestBodyTimeout) {
        this(dataDir, bindAddress, securePort, advertiseAddress, store, etcdServers, serviceCidr, tokenFile, history,
                workerThreads, requestBodyTimeout, null, null, DEFAULT_EVENT_TTL);
    }

    /** The address clients are told to use: the advertised one, else the bind address, else loopback. */
    public String clientAddress() {
        if (advertiseAddress != null && !advertiseAddress.isBlank()) {
            return advertiseAddress;
        }
        if (bindAddress == null || bindAddress.equals("0.0.0.0") || bindAddress.equals("::")) {
            return "127.0.0.1";
        }
        return bindAddress;
    }
}
