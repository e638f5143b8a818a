package io.kedge.pki;

import java.util.Optional;
import org.bouncycastle.asn1.x509.KeyPurposeId;

/** Extended key usages kedge issues. */
public enum KeyPurpose {
    CLIENT_AUTH("client auth", KeyPurposeId.id_kp_clientAuth),
    SERVER_AUTH("server auth", KeyPurposeId.id_kp_serverAuth);

    private final String kubernetesUsage;
    private final KeyPurposeId id;

    KeyPurpose(String kubernetesUsage, KeyPurposeId id) {
        this.kubernetesUsage = kubernetesUsage;
        this.id = id;
    }

    /** The name used in a CertificateSigningRequest's {@code spec.usages}. */
    public String kubernetesUsage() {
        return kubernetesUsage;
    }

    /** The dotted OID, as {@link java.security.cert.X509Certificate#getExtendedKeyUsage()} reports it. */
    public String oid() {
        return id.getId();
    }

    KeyPurposeId id() {
        return id;
    }

    /**
     * The purpose for a {@code spec.usages} entry. Empty for usages that are not extended key usages (for example
     * "digital signature"), which kedge sets on every leaf certificate anyway.
     */
    public static Optional<KeyPurpose> fromKubernetesUsage(String usage) {
        for (KeyPurpose purpose : values()) {
            if (purpose.kubernetesUsage.equals(usage)) {
                return Optional.of(purpose);
            }
        }
        return Optional.empty();
    }
}
