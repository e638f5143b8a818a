package io.kedge.pki;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The API server's serving certificate: kept across restarts while still good, reissued when not. */
public final class ServingCertificates {
    public static final String CERT_FILE = "server.crt";
    public static final String KEY_FILE = "server.key";
    public static final String COMMON_NAME = "kedge-apiserver";
    public static final Duration VALIDITY = Duration.ofDays(365);
    public static final Duration RENEW_BEFORE = Duration.ofDays(30);

    private static final System.Logger LOG = System.getLogger(ServingCertificates.class.getName());

    private ServingCertificates() {
    }

    public static IssuedCertificate loadOrIssue(Path dir, CertificateAuthority ca, List<String> dnsNames,
                                                List<String> ipAddresses) throws IOException {
        return loadOrIssue(dir, ca, new SubjectAltNames(dnsNames, ipAddresses));
    }

    /**
     * Reuses {@code server.crt}/{@code server.key} in {@code dir} if they were issued by {@code ca}, are more than
     * {@link #RENEW_BEFORE} from expiry and cover every requested name; otherwise issues and writes a new pair.
     */
    public static IssuedCertificate loadOrIssue(Path dir, CertificateAuthority ca, SubjectAltNames requested)
            throws IOException {
        Path certFile = dir.resolve(CERT_FILE);
        Path keyFile = dir.resolve(KEY_FILE);
        Optional<String> reason;
        IssuedCertificate existing = null;
        if (!Files.exists(certFile) || !Files.exists(keyFile)) {
            reason = Optional.of("no existing certificate");
        } else {
            try {
                existing = IssuedCertificate.readFrom(certFile, keyFile);
                reason = reasonToReissue(existing, ca, requested, Instant.now());
            } catch (PkiException e) {
                reason = Optional.of(e.getMessage());
            }
        }
        if (reason.isEmpty()) {
            return existing;
        }
        LOG.log(System.Logger.Level.INFO, "issuing serving certificate {0}: {1}", certFile, reason.get());
        IssuedCertificate issued = ca.issueServing(COMMON_NAME, requested.dnsNames(), requested.ipAddresses(),
                VALIDITY);
        issued.writeTo(certFile, keyFile);
        return issued;
    }

    /** Why {@code existing} cannot be served for {@code requested} at {@code now}, or empty if it can. */
    static Optional<String> reasonToReissue(IssuedCertificate existing, CertificateAuthority ca,
                                            SubjectAltNames requested, Instant now) {
        if (!ca.issued(existing.certificate())) {
            return Optional.of("the existing certificate was not issued by the current CA");
        }
        Instant notAfter = existing.certificate().getNotAfter().toInstant();
        if (notAfter.minus(RENEW_BEFORE).isBefore(now)) {
            return Optional.of("the existing certificate expires at " + notAfter);
        }
        SubjectAltNames present = SubjectAltNames.of(existing.certificate());
        if (!present.covers(requested)) {
            return Optional.of("the existing certificate covers " + present + " but " + requested
                    + " was requested");
        }
        return Optional.empty();
    }
}
