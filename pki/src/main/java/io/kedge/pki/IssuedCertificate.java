package io.kedge.pki;

import java.io.IOException;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;

/** A certificate with its private key; construction fails if the two do not belong together. */
public record IssuedCertificate(X509Certificate certificate, PrivateKey key) {
    public IssuedCertificate {
        if (certificate == null || key == null) {
            throw new IllegalArgumentException("an issued certificate needs both a certificate and a private key");
        }
        if (!Keys.matches(key, certificate.getPublicKey())) {
            throw new PkiException("the private key does not match the public key of certificate "
                    + certificate.getSubjectX500Principal().getName());
        }
    }

    public String certPem() {
        return PemFiles.encode(certificate);
    }

    /** The key as PKCS#8 PEM ({@code PRIVATE KEY}). */
    public String keyPem() {
        return PemFiles.encode(key);
    }

    /** Writes the certificate (mode 0644) and the key (mode 0600), creating parent directories. */
    public void writeTo(Path certFile, Path keyFile) throws IOException {
        PemFiles.writePrivateKey(keyFile, key);
        PemFiles.writeCertificate(certFile, certificate);
    }

    /** Reads a certificate and its key; a key that does not match the certificate is a {@link PkiException}. */
    public static IssuedCertificate readFrom(Path certFile, Path keyFile) throws IOException {
        X509Certificate certificate = PemFiles.readCertificate(certFile);
        PrivateKey key = PemFiles.readPrivateKey(keyFile);
        if (!Keys.matches(key, certificate.getPublicKey())) {
            throw new PkiException("private key " + keyFile + " does not match certificate " + certFile);
        }
        return new IssuedCertificate(certificate, key);
    }
}
