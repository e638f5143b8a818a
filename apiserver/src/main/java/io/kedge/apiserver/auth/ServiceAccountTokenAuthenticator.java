package io.kedge.apiserver.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import io.kedge.api.Json;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Service-account JWTs this server issued: signed by its key, within their lifetime, meant for an
 * audience the caller accepts, and still backed by the service account (and the pod, secret or
 * node they are bound to) with the uid the token names.
 */
public final class ServiceAccountTokenAuthenticator implements TokenAuthenticator {
    /** Clock skew tolerated on exp and nbf, as upstream's JWT validation does. */
    static final Duration LEEWAY = Duration.ofMinutes(1);
    /** A bound object being deleted keeps its tokens working this long, for a graceful shutdown. */
    static final Duration DELETION_GRACE = Duration.ofSeconds(60);
    static final String EXTRA_PREFIX = "authentication.kubernetes.io/";

    private final ECDSAVerifier verifier;
    private final ObjectLookup objects;
    private final Clock clock;

    public ServiceAccountTokenAuthenticator(ServiceAccountKey key, ObjectLookup objects, Clock clock) {
        try {
            this.verifier = new ECDSAVerifier(key.jwk().toECPublicKey());
        } catch (JOSEException e) {
            throw new IllegalStateException("the service-account key cannot verify", e);
        }
        this.objects = objects;
        this.clock = clock;
    }

    @Override
    public TokenOutcome authenticate(String token, List<String> audiences) {
        if (token.chars().filter(c -> c == '.').count() != 2) {
            return TokenOutcome.notMine();
        }
        JWSObject jws;
        JsonNode claims;
        try {
            jws = JWSObject.parse(token);
            claims = Json.parse(jws.getPayload().toString().getBytes(StandardCharsets.UTF_8), false);
        } catch (ParseException | RuntimeException e) {
            return TokenOutcome.notMine();
        }
        if (!ServiceAccountTokenIssuer.ISSUER.equals(claims.path("iss").asText(null))) {
            return TokenOutcome.notMine();
        }
        try {
            if (!JWSAlgorithm.ES256.equals(jws.getHeader().getAlgorithm()) || !jws.verify(verifier)) {
                return TokenOutcome.rejected("service-account token: invalid signature");
            }
        } catch (JOSEException e) {
            return TokenOutcome.rejected("service-account token: invalid signature: " + e.getMessage());
        }
        return validate(claims, audiences);
    }

    private TokenOutcome validate(JsonNode claims, List<String> accepted) {
        Instant now = clock.instant();
        if (!claims.path("exp").canConvertToLong() || !claims.path("nbf").canConvertToLong()) {
            return TokenOutcome.rejected("service-account token: exp or nbf missing");
        }
        if (now.isAfter(Instant.ofEpochSecond(claims.get("exp").asLong()).plus(LEEWAY))) {
            return TokenOutcome.rejected("service-account token: expired");
        }
        if (now.plus(LEEWAY).isBefore(Instant.ofEpochSecond(claims.get("nbf").asLong()))) {
            return TokenOutcome.rejected("service-account token: not valid yet");
        }
        List<String> audiences = new ArrayList<>();
        JsonNode aud = claims.path("aud");
        List<String> tokenAudiences = new ArrayList<>();
        if (aud.isTextual()) {
            tokenAudiences.add(aud.asText());
        } else {
            aud.forEach(a -> tokenAudiences.add(a.asText()));
        }
        for (String a : accepted) {
            if (tokenAudiences.contains(a)) audiences.add(a);
        }
        if (audiences.isEmpty()) {
            return TokenOutcome.rejected("service-account token: audiences " + tokenAudiences
                    + " are not among the accepted " + accepted);
        }
        Optional<String[]> subject = ServiceAccounts.parseUserName(claims.path("sub").asText(null));
        JsonNode k8s = claims.path(ServiceAccountTokenIssuer.PRIVATE_CLAIM);
        String namespace = k8s.path("namespace").asText("");
        JsonNode sa = k8s.path("serviceaccount");
        if (subject.isEmpty() || !subject.get()[0].equals(namespace) || !subject.get()[1].equals(sa.path("name").asText())) {
            return TokenOutcome.rejected("service-account token: subject and private claim disagree");
        }
        String saUid = sa.path("uid").asText("");
        Optional<String> saProblem = stillThere("serviceaccounts", namespace, sa, now);
        if (saProblem.isPresent()) {
            return TokenOutcome.rejected(saProblem.get());
        }
        Map<String, List<String>> extra = new LinkedHashMap<>();
        for (String[] bound : new String[][]{{"pod", "pods"}, {"secret", "secrets"}, {"node", "nodes"}}) {
            JsonNode ref = k8s.path(bound[0]);
            if (ref.isMissingNode()) {
                continue;
            }
            Optional<String> problem = stillThere(bound[1], bound[0].equals("node") ? null : namespace, ref, now);
            if (problem.isPresent()) {
                return TokenOutcome.rejected(problem.get());
            }
            if (!bound[0].equals("secret")) {
                extra.put(EXTRA_PREFIX + bound[0] + "-name", List.of(ref.path("name").asText()));
                extra.put(EXTRA_PREFIX + bound[0] + "-uid", List.of(ref.path("uid").asText()));
            }
        }
        if (claims.hasNonNull("jti")) {
            extra.put(EXTRA_PREFIX + "credential-id", List.of("JTI=" + claims.get("jti").asText()));
        }
        UserInfo user = new UserInfo(claims.get("sub").asText(), saUid, ServiceAccounts.groups(namespace), extra);
        return TokenOutcome.user(user, audiences);
    }

    /** Why the object a claim names no longer backs the token, if it does not. */
    private Optional<String> stillThere(String resource, String namespace, JsonNode ref, Instant now) {
        String name = ref.path("name").asText("");
        String uid = ref.path("uid").asText("");
        String what = resource + " " + (namespace == null ? "" : namespace + "/") + name;
        if (name.isEmpty()) {
            return Optional.of("service-account token: a " + resource + " claim without a name");
        }
        Optional<JsonNode> found = objects.find(resource, namespace, name);
        if (found.isEmpty()) {
            return Optional.of("service-account token: " + what + " no longer exists");
        }
        JsonNode meta = found.get().path("metadata");
        if (!uid.equals(meta.path("uid").asText())) {
            return Optional.of("service-account token: " + what + " has uid " + meta.path("uid").asText()
                    + ", the token names " + uid);
        }
        String deletion = meta.path("deletionTimestamp").asText("");
        if (!deletion.isEmpty() && deletedBefore(deletion, now.minus(DELETION_GRACE))) {
            return Optional.of("service-account token: " + what + " is being deleted");
        }
        return Optional.empty();
    }

    private static boolean deletedBefore(String timestamp, Instant limit) {
        try {
            return OffsetDateTime.parse(timestamp).toInstant().isBefore(limit);
        } catch (DateTimeParseException e) {
            return true;
        }
    }
}
