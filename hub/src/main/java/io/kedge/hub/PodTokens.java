package io.kedge.hub;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import io.kedge.api.Json;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks a pod's service-account token without the cloud, as the cloud's own authenticator would
 * bar the lookups it cannot make: signed with a key the issuer published, by that issuer, for its
 * API audience, within its lifetime (one minute of clock skew allowed), and bound to a pod.
 * Whether that pod is on this node is the caller's question.
 */
final class PodTokens {
    private static final Logger LOG = LoggerFactory.getLogger(PodTokens.class);
    static final Duration LEEWAY = Duration.ofMinutes(1);
    private static final String SERVICE_ACCOUNT_PREFIX = "system:serviceaccount:";

    private final IssuerKeys keys;
    private final Clock clock;

    PodTokens(IssuerKeys keys, Clock clock) {
        this.keys = keys;
        this.clock = clock;
    }

    /** The pod and service account the token speaks for; empty when it is not a valid pod token (why is logged at debug). */
    Optional<PodIdentity> verify(String token) {
        Optional<IssuerKeys.Issuer> issuer = keys.current();
        if (issuer.isEmpty()) {
            LOG.debug("pod token refused: the hub has not read the cloud's service-account key yet");
            return Optional.empty();
        }
        try {
            JWSObject jws = JWSObject.parse(token);
            if (!JWSAlgorithm.ES256.equals(jws.getHeader().getAlgorithm()) || !signedBy(jws, issuer.get())) {
                return refused("signature");
            }
            return claims(Json.parse(jws.getPayload().toString().getBytes(StandardCharsets.UTF_8), false), issuer.get().issuer());
        } catch (ParseException | JOSEException | RuntimeException e) {
            return refused("malformed: " + e.getMessage());
        }
    }

    private static boolean signedBy(JWSObject jws, IssuerKeys.Issuer issuer) throws JOSEException {
        String kid = jws.getHeader().getKeyID();
        for (JWK key : issuer.keys().getKeys()) {
            if (key instanceof ECKey ec && (kid == null || kid.equals(key.getKeyID())) && jws.verify(new ECDSAVerifier(ec))) {
                return true;
            }
        }
        return false;
    }

    private Optional<PodIdentity> claims(JsonNode claims, String issuer) {
        if (!issuer.equals(claims.path("iss").asText())) {
            return refused("issuer");
        }
        Instant now = clock.instant();
        if (!claims.path("exp").canConvertToLong() || now.isAfter(Instant.ofEpochSecond(claims.get("exp").asLong()).plus(LEEWAY))) {
            return refused("expired");
        }
        if (claims.path("nbf").canConvertToLong() && now.plus(LEEWAY).isBefore(Instant.ofEpochSecond(claims.get("nbf").asLong()))) {
            return refused("not valid yet");
        }
        List<String> audiences = new ArrayList<>();
        if (claims.path("aud").isTextual()) {
            audiences.add(claims.get("aud").asText());
        } else {
            claims.path("aud").forEach(a -> audiences.add(a.asText()));
        }
        // the cloud's API accepts its issuer as its audience (upstream's default); tokens for others are not for the API
        if (!audiences.contains(issuer)) {
            return refused("audience");
        }
        JsonNode k8s = claims.path("kubernetes.io");
        String namespace = k8s.path("namespace").asText("");
        String account = k8s.path("serviceaccount").path("name").asText("");
        String pod = k8s.path("pod").path("name").asText("");
        String podUid = k8s.path("pod").path("uid").asText("");
        if (namespace.isEmpty() || account.isEmpty()
                || !(SERVICE_ACCOUNT_PREFIX + namespace + ":" + account).equals(claims.path("sub").asText())) {
            return refused("subject");
        }
        if (pod.isEmpty() || podUid.isEmpty()) {
            return refused("bound to no pod");
        }
        return Optional.of(new PodIdentity(namespace, account, k8s.path("serviceaccount").path("uid").asText(""), pod, podUid));
    }

    private static Optional<PodIdentity> refused(String why) {
        LOG.debug("pod token refused offline: {}", why);
        return Optional.empty();
    }
}
