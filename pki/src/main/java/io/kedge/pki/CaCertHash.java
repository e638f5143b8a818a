package io.kedge.pki;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.Locale;

/**
 * A CA pinned by the SHA-256 of its public key (the DER SubjectPublicKeyInfo), written
 * {@code sha256:<hex>} as kubeadm writes its {@code --discovery-token-ca-cert-hash}: a joining node
 * trusts the cluster CA the server presents only if it has this hash.
 */
public record CaCertHash(String hex) {
    private static final String PREFIX = "sha256:";

    public CaCertHash {
        hex = hex.toLowerCase(Locale.ROOT);
        if (!hex.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("a CA cert hash is sha256: and 64 hex digits");
        }
    }

    public static CaCertHash parse(String text) {
        if (text == null || !text.startsWith(PREFIX)) {
            throw new IllegalArgumentException("--ca-cert-hash must look like sha256:<64 hex digits>, got \"" + text + "\"");
        }
        try {
            return new CaCertHash(text.substring(PREFIX.length()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--ca-cert-hash must look like sha256:<64 hex digits>, got \"" + text + "\"");
        }
    }

    public static CaCertHash of(X509Certificate certificate) {
        try {
            return new CaCertHash(HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-256").digest(certificate.getPublicKey().getEncoded())));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    public boolean matches(X509Certificate certificate) {
        return of(certificate).equals(this);
    }

    @Override
    public String toString() {
        return PREFIX + hex;
    }
}
