package io.kedge.kubelet.volume;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ServiceAccountTokenProjection;
import io.fabric8.kubernetes.api.model.authentication.TokenRequest;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.kedge.kubelet.ContainerConfigException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Service-account tokens for projected volumes, from the TokenRequest API and bound to the pod.
 * A token is reused until 80% of its life (or 24 hours) has passed, as upstream, so that the
 * file is refreshed on a later sync long before it expires.
 */
final class ServiceAccountTokens {
    private static final Logger LOG = LoggerFactory.getLogger(ServiceAccountTokens.class);
    private static final long DEFAULT_EXPIRATION_SECONDS = 3600;
    private static final Duration MAX_AGE = Duration.ofHours(24);

    private record Key(String podUid, String namespace, String serviceAccount, String audience, long expirationSeconds) {
    }

    private record Issued(String token, Instant refreshAt) {
    }

    private final KubernetesClient client;
    private final Clock clock;
    private final Map<Key, Issued> issued = new ConcurrentHashMap<>();
    private volatile boolean unsupportedReported;

    /** Where each issued token is kept, so that a pod restarted while the cloud is unreachable still gets one. */
    private final Path keptDir;

    ServiceAccountTokens(KubernetesClient client, Clock clock, Path keptDir) {
        this.client = client;
        this.clock = clock;
        this.keptDir = keptDir;
    }

    /** The token, or empty when the server has no TokenRequest API (then the volume goes without it). */
    Optional<String> token(Pod pod, ServiceAccountTokenProjection projection) throws ContainerConfigException {
        String namespace = pod.getMetadata().getNamespace();
        String sa = pod.getSpec().getServiceAccountName() == null || pod.getSpec().getServiceAccountName().isEmpty()
                ? "default" : pod.getSpec().getServiceAccountName();
        long seconds = projection.getExpirationSeconds() == null ? DEFAULT_EXPIRATION_SECONDS : projection.getExpirationSeconds();
        String audience = projection.getAudience() == null ? "" : projection.getAudience();
        Key key = new Key(pod.getMetadata().getUid(), namespace, sa, audience, seconds);
        Instant now = clock.instant();
        Issued cached = issued.get(key);
        if (cached != null && now.isBefore(cached.refreshAt())) {
            return Optional.of(cached.token());
        }
        TokenRequest request = new TokenRequestBuilder().withNewSpec()
                .withAudiences(audience.isEmpty() ? List.of() : List.of(audience))
                .withExpirationSeconds(seconds)
                .withNewBoundObjectRef().withApiVersion("v1").withKind("Pod")
                .withName(pod.getMetadata().getName()).withUid(pod.getMetadata().getUid()).endBoundObjectRef()
                .endSpec().build();
        TokenRequest answer;
        try {
            answer = client.serviceAccounts().inNamespace(namespace).withName(sa).tokenRequest(request);
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404 && notFound(e, "pods")) {
                // the server has the API: the pod the token is bound to is gone
                throw new ContainerConfigException("couldn't get a token for serviceaccount " + namespace + "/" + sa
                        + ": " + e.getMessage(), e);
            }
            if (e.getCode() == 404 || e.getCode() == 405) {
                return unsupported(namespace, sa, e);
            }
            if (cached != null) {
                LOG.warn("couldn't refresh the token of serviceaccount {}/{}, keeping the current one: {}", namespace, sa, e.getMessage());
                return Optional.of(cached.token());
            }
            Optional<String> kept = kept(key);
            if (kept.isPresent()) {
                // after a restart while the cloud is unreachable: the pod runs with the token it had, and gets a new one later
                LOG.warn("couldn't get a token for serviceaccount {}/{} ({}); using the one issued before the restart",
                        namespace, sa, e.getMessage());
                issued.put(key, new Issued(kept.get(), now));
                return kept;
            }
            throw new ContainerConfigException("couldn't get a token for serviceaccount " + namespace + "/" + sa + ": " + e.getMessage(), e);
        }
        if (answer == null || answer.getStatus() == null || answer.getStatus().getToken() == null) {
            throw new ContainerConfigException("the TokenRequest for serviceaccount " + namespace + "/" + sa + " returned no token");
        }
        Instant expires = expiry(answer.getStatus().getExpirationTimestamp(), now.plusSeconds(seconds));
        Duration life = Duration.between(now, expires);
        Duration refreshAfter = life.multipliedBy(8).dividedBy(10);
        if (refreshAfter.compareTo(MAX_AGE) > 0) {
            refreshAfter = MAX_AGE;
        }
        issued.put(key, new Issued(answer.getStatus().getToken(), now.plus(refreshAfter)));
        keep(key, answer.getStatus().getToken());
        return Optional.of(answer.getStatus().getToken());
    }

    private static boolean notFound(KubernetesClientException e, String resource) {
        return e.getStatus() != null && e.getStatus().getDetails() != null
                && resource.equals(e.getStatus().getDetails().getKind());
    }

    void forget(String podUid) {
        issued.keySet().removeIf(k -> k.podUid().equals(podUid));
        try (var files = Files.list(keptDir)) {
            for (Path f : files.filter(f -> f.getFileName().toString().startsWith(podUid + "-")).toList()) {
                Files.deleteIfExists(f);
            }
        } catch (NoSuchFileException none) {
            // nothing kept yet
        } catch (IOException e) {
            LOG.warn("cannot remove the kept tokens of pod {}: {}", podUid, e.getMessage());
        }
    }

    private Path keptFile(Key key) {
        String shape = key.namespace() + "/" + key.serviceAccount() + "/" + key.audience() + "/" + key.expirationSeconds();
        return keptDir.resolve(key.podUid() + "-" + Integer.toHexString(shape.hashCode()) + ".token");
    }

    private void keep(Key key, String token) {
        try {
            Files.createDirectories(keptDir);
            io.kedge.pki.SecureFiles.writePrivate(keptFile(key), token.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            LOG.warn("cannot keep the token of pod {} on disk ({}); a restart while the cloud is unreachable would leave the pod"
                    + " waiting for a new one", key.podUid(), e.getMessage());
        }
    }

    private Optional<String> kept(Key key) {
        try {
            return Optional.of(Files.readString(keptFile(key), StandardCharsets.UTF_8));
        } catch (IOException none) {
            return Optional.empty();
        }
    }

    private Optional<String> unsupported(String namespace, String sa, KubernetesClientException e) throws ContainerConfigException {
        if (client.serviceAccounts().inNamespace(namespace).withName(sa).get() == null) {
            throw new ContainerConfigException("serviceaccount \"" + sa + "\" not found", e);
        }
        if (!unsupportedReported) {
            unsupportedReported = true;
            LOG.warn("the server has no TokenRequest API (serviceaccounts/token answered {}): projected volumes get no token file",
                    e.getCode());
        }
        return Optional.empty();
    }

    private static Instant expiry(String timestamp, Instant fallback) {
        if (timestamp == null || timestamp.isEmpty()) {
            return fallback;
        }
        try {
            return OffsetDateTime.parse(timestamp).toInstant();
        } catch (DateTimeParseException e) {
            return fallback;
        }
    }
}
