package io.kedge.apiserver.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import io.kedge.pki.SecureFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;

/**
 * The key that signs and verifies service-account tokens: an ES256 key kept as a JWK beside the
 * cluster CA, created on first start and reused after, so tokens outlive a restart.
 */
public final class ServiceAccountKey {
    public static final String FILE = "service-account.jwk";

    private final ECKey key;

    private ServiceAccountKey(ECKey key) {
        this.key = key;
    }

    public static ServiceAccountKey loadOrCreate(Path dir) throws IOException {
        Path file = dir.resolve(FILE);
        if (Files.exists(file)) {
            try {
                ECKey key = ECKey.parse(Files.readString(file, StandardCharsets.UTF_8));
                if (!key.isPrivate() || !Curve.P_256.equals(key.getCurve())) {
                    throw new IOException(file + " is not a private P-256 key");
                }
                return new ServiceAccountKey(key);
            } catch (ParseException e) {
                throw new IOException(file + " is not a JWK: " + e.getMessage(), e);
            }
        }
        ServiceAccountKey created = generate();
        SecureFiles.writePrivate(file, created.key.toJSONString().getBytes(StandardCharsets.UTF_8));
        return created;
    }

    /** A fresh key in memory. */
    public static ServiceAccountKey generate() {
        try {
            return new ServiceAccountKey(new ECKeyGenerator(Curve.P_256).keyIDFromThumbprint(true).generate());
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot generate a P-256 key", e);
        }
    }

    ECKey jwk() {
        return key;
    }

    public String keyId() {
        return key.getKeyID();
    }

    /** The public half as a JWK Set, as {@code /openid/v1/jwks} serves it: for ES256 signatures only. */
    public String publicKeySet() {
        ECKey pub = new ECKey.Builder(key.toPublicJWK()).keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.ES256).build();
        return new JWKSet(pub).toString(true);
    }
}
