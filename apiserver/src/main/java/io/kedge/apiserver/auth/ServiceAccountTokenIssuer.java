package io.kedge.apiserver.auth;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSASigner;
import io.kedge.api.Json;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Signs service-account tokens with the claims kube-apiserver puts in them, so that clients which
 * read their own token (namespace, pod) find what they expect.
 */
public final class ServiceAccountTokenIssuer {
    /** The issuer, and the audience the API server itself accepts. */
    public static final String ISSUER = "https://kubernetes.default.svc.cluster.local";
    static final String PRIVATE_CLAIM = "kubernetes.io";

    /** An object the token is bound to, as it appears in the private claim: {@code pod}, {@code secret} or {@code node}. */
    public record Binding(String claim, String name, String uid) {}

    /** A signed token; {@code warnAfter} is null unless it was issued warn-only. */
    public record Issued(String token, Instant expires, Instant warnAfter) {}

    private final ServiceAccountKey key;
    private final Clock clock;
    private final ECDSASigner signer;

    public ServiceAccountTokenIssuer(ServiceAccountKey key, Clock clock) {
        this.key = key;
        this.clock = clock;
        try {
            this.signer = new ECDSASigner(key.jwk());
        } catch (JOSEException e) {
            throw new IllegalStateException("the service-account key cannot sign", e);
        }
    }

    /** A token for service account {@code namespace/name} with uid {@code uid}, valid from now for {@code seconds}. */
    public Issued issue(String namespace, String name, String uid, List<Binding> bindings, List<String> audiences,
                        long seconds) {
        Instant now = clock.instant();
        return sign(namespace, name, uid, bindings, audiences, now, now.plusSeconds(seconds));
    }

    /**
     * A token valid for {@code validSeconds} that names, in its private claim, the earlier moment
     * ({@code warnAfterSeconds}) after which its use is reported as stale rather than refused.
     */
    public Issued issueWarnOnly(String namespace, String name, String uid, List<Binding> bindings, List<String> audiences,
                                long warnAfterSeconds, long validSeconds) {
        Instant now = clock.instant();
        return sign(namespace, name, uid, bindings, audiences, now, now.plusSeconds(validSeconds), now.plusSeconds(warnAfterSeconds));
    }

    Issued sign(String namespace, String name, String uid, List<Binding> bindings, List<String> audiences,
                Instant issuedAt, Instant expires) {
        return sign(namespace, name, uid, bindings, audiences, issuedAt, expires, null);
    }

    private Issued sign(String namespace, String name, String uid, List<Binding> bindings, List<String> audiences,
                        Instant issuedAt, Instant expires, Instant warnAfter) {
        ObjectNode claims = Json.object();
        ArrayNode aud = claims.putArray("aud");
        audiences.forEach(aud::add);
        claims.put("exp", expires.getEpochSecond());
        claims.put("iat", issuedAt.getEpochSecond());
        claims.put("iss", ISSUER);
        claims.put("jti", UUID.randomUUID().toString());
        ObjectNode k8s = claims.putObject(PRIVATE_CLAIM);
        k8s.put("namespace", namespace);
        for (Binding b : bindings) {
            k8s.putObject(b.claim()).put("name", b.name()).put("uid", b.uid());
        }
        k8s.putObject("serviceaccount").put("name", name).put("uid", uid);
        if (warnAfter != null) {
            k8s.put("warnafter", warnAfter.getEpochSecond());
        }
        claims.put("nbf", issuedAt.getEpochSecond());
        claims.put("sub", ServiceAccounts.userName(namespace, name));
        JWSObject jws = new JWSObject(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.keyId()).build(),
                new Payload(Json.string(claims)));
        try {
            jws.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign a service-account token", e);
        }
        return new Issued(jws.serialize(), Instant.ofEpochSecond(expires.getEpochSecond()),
                warnAfter == null ? null : Instant.ofEpochSecond(warnAfter.getEpochSecond()));
    }
}
