package io.kedge.pki;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** The cluster's certificate authority: an ECDSA P-256 key and a self-signed certificate. */
public final class CertificateAuthority {
    public static final String CERT_FILE = "ca.crt";
    public static final String KEY_FILE = "ca.key";
    public static final Duration VALIDITY = Duration.ofDays(3650);
    /**
     * Certificates start this far in the past, so that a node whose clock lags a little still accepts them. Upstream
     * signers use the same: more would move a node's rotation (at 70% of notBefore to notAfter) to before the
     * certificate was even issued when lifetimes are short.
     */
    static final Duration BACKDATE = Duration.ofMinutes(5);

    private final X509Certificate certificate;
    private final PrivateKey key;

    private CertificateAuthority(X509Certificate certificate, PrivateKey key) {
        this.certificate = certificate;
        this.key = key;
    }

    /**
     * Loads {@code ca.crt} and {@code ca.key} from {@code dir}, or creates both if neither exists. If only one
     * exists, this fails rather than replace it: a new CA would invalidate every certificate already handed out.
     */
    public static CertificateAuthority loadOrCreate(Path dir) throws IOException {
        Path certFile = dir.resolve(CERT_FILE);
        Path keyFile = dir.resolve(KEY_FILE);
        boolean hasCert = Files.exists(certFile);
        boolean hasKey = Files.exists(keyFile);
        if (hasCert && hasKey) {
            return load(dir);
        }
        if (hasCert || hasKey) {
            throw new PkiException("incomplete certificate authority in " + dir + ": "
                    + (hasCert ? keyFile : certFile) + " is missing; restore it or remove "
                    + (hasCert ? certFile : keyFile) + " to create a new CA");
        }
        CertificateAuthority ca = create("kedge-ca@" + Instant.now().getEpochSecond());
        ca.writeTo(dir);
        return ca;
    }

    public static CertificateAuthority load(Path dir) throws IOException {
        Path certFile = dir.resolve(CERT_FILE);
        Path keyFile = dir.resolve(KEY_FILE);
        X509Certificate certificate = PemFiles.readCertificate(certFile);
        PrivateKey key = PemFiles.readPrivateKey(keyFile);
        if (!Keys.matches(key, certificate.getPublicKey())) {
            throw new PkiException("CA key " + keyFile + " does not match CA certificate " + certFile);
        }
        return of(certificate, key);
    }

    /** Wraps an existing CA certificate and key, checking that they fit together and that it is a CA. */
    public static CertificateAuthority of(X509Certificate certificate, PrivateKey key) {
        if (certificate.getBasicConstraints() < 0) {
            throw new PkiException("certificate " + certificate.getSubjectX500Principal().getName()
                    + " is not a CA certificate (basicConstraints CA is not true)");
        }
        if (!Keys.matches(key, certificate.getPublicKey())) {
            throw new PkiException("the private key does not match CA certificate "
                    + certificate.getSubjectX500Principal().getName());
        }
        return new CertificateAuthority(certificate, key);
    }

    /** A new CA in memory, valid for {@link #VALIDITY}. */
    public static CertificateAuthority create(String commonName) {
        KeyPair keys = Keys.generateP256();
        X500Name subject = SubjectNames.of(commonName, List.of());
        Instant now = Instant.now();
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, serialNumber(),
                Date.from(now.minus(BACKDATE)), Date.from(now.plus(VALIDITY)), subject, keys.getPublic());
        try {
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            builder.addExtension(Extension.keyUsage, true,
                    new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature));
            builder.addExtension(Extension.subjectKeyIdentifier, false,
                    extensions.createSubjectKeyIdentifier(keys.getPublic()));
        } catch (GeneralSecurityException | CertIOException e) {
            throw new PkiException("cannot build CA certificate: " + e.getMessage(), e);
        }
        return new CertificateAuthority(sign(builder, keys.getPrivate()), keys.getPrivate());
    }

    /** Writes {@code ca.crt} (0644) and {@code ca.key} (0600). */
    public void writeTo(Path dir) throws IOException {
        new IssuedCertificate(certificate, key).writeTo(dir.resolve(CERT_FILE), dir.resolve(KEY_FILE));
    }

    public X509Certificate certificate() {
        return certificate;
    }

    public String certificatePem() {
        return PemFiles.encode(certificate);
    }

    /** A serving certificate (serverAuth) for a fresh P-256 key, valid for the given DNS names and IP addresses. */
    public IssuedCertificate issueServing(String commonName, List<String> dnsNames, List<String> ipAddresses,
                                          Duration validity) {
        SubjectAltNames names = new SubjectAltNames(dnsNames, ipAddresses);
        if (names.isEmpty()) {
            throw new IllegalArgumentException("serving certificate " + commonName
                    + " needs at least one DNS name or IP address: clients check SANs, not the CN");
        }
        KeyPair keys = Keys.generateP256();
        X509Certificate cert = issue(SubjectNames.of(commonName, List.of()), keys.getPublic(), validity,
                EnumSet.of(KeyPurpose.SERVER_AUTH), names);
        return new IssuedCertificate(cert, keys.getPrivate());
    }

    /** A client certificate (clientAuth) for a fresh P-256 key: CN is the user name, each organization a group. */
    public IssuedCertificate issueClient(String commonName, List<String> organizations, Duration validity) {
        KeyPair keys = Keys.generateP256();
        X509Certificate cert = issue(SubjectNames.of(commonName, organizations), keys.getPublic(), validity,
                EnumSet.of(KeyPurpose.CLIENT_AUTH), SubjectAltNames.none());
        return new IssuedCertificate(cert, keys.getPrivate());
    }

    /**
     * Signs a PKCS#10 request (DER or PEM). The certificate keeps the request's subject and its DNS/IP
     * subjectAltNames; every other requested extension is ignored and the usages come from {@code purposes}.
     * Whether the requester may have that subject is the caller's decision, made before calling this.
     */
    public X509Certificate signCsr(byte[] csr, Duration validity, Set<KeyPurpose> purposes) {
        return sign(CertificateRequest.parse(csr), validity, purposes);
    }

    public X509Certificate sign(CertificateRequest request, Duration validity, Set<KeyPurpose> purposes) {
        if (purposes == null || purposes.isEmpty()) {
            throw new IllegalArgumentException("a signed certificate needs at least one key purpose");
        }
        if (request.commonName().isBlank()) {
            throw new PkiException("CSR has no subject common name");
        }
        return issue(request.subject(), request.publicKey(), validity, purposes, request.subjectAltNames());
    }

    /** Whether this CA signed the certificate. Validity dates are not checked. */
    public boolean issued(X509Certificate candidate) {
        if (candidate == null || !candidate.getIssuerX500Principal().equals(certificate.getSubjectX500Principal())) {
            return false;
        }
        try {
            candidate.verify(certificate.getPublicKey());
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private X509Certificate issue(X500Name subject, PublicKey publicKey, Duration validity,
                                  Set<KeyPurpose> purposes, SubjectAltNames names) {
        if (validity == null || validity.isNegative() || validity.isZero()) {
            throw new IllegalArgumentException("certificate validity must be positive, got " + validity);
        }
        Instant now = Instant.now();
        // A certificate cannot be trusted past its issuer's expiry, so it is not promised either.
        Instant notAfter = min(now.plus(validity), certificate.getNotAfter().toInstant());
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(certificate, serialNumber(),
                Date.from(now.minus(BACKDATE)), Date.from(notAfter), subject, publicKey);
        int keyUsage = KeyUsage.digitalSignature;
        if ("RSA".equals(publicKey.getAlgorithm())) {
            keyUsage |= KeyUsage.keyEncipherment;
        }
        try {
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(keyUsage));
            builder.addExtension(Extension.extendedKeyUsage, false,
                    new ExtendedKeyUsage(purposes.stream().map(KeyPurpose::id).toArray(KeyPurposeId[]::new)));
            // Key identifier only: naming the CA's serial here would orphan leaves if the CA is ever re-signed.
            builder.addExtension(Extension.authorityKeyIdentifier, false,
                    extensions.createAuthorityKeyIdentifier(certificate.getPublicKey()));
            builder.addExtension(Extension.subjectKeyIdentifier, false,
                    extensions.createSubjectKeyIdentifier(publicKey));
            if (!names.isEmpty()) {
                builder.addExtension(Extension.subjectAlternativeName, false, names.toGeneralNames());
            }
        } catch (GeneralSecurityException | CertIOException e) {
            throw new PkiException("cannot build certificate for "
                    + SubjectNames.values(subject, BCStyle.CN) + ": " + e.getMessage(), e);
        }
        return sign(builder, key);
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey signingKey) {
        try {
            X509CertificateHolder holder =
                    builder.build(new JcaContentSignerBuilder(Keys.signatureAlgorithm(signingKey)).build(signingKey));
            return new JcaX509CertificateConverter().getCertificate(holder);
        } catch (OperatorCreationException | GeneralSecurityException e) {
            throw new PkiException("cannot sign certificate: " + e.getMessage(), e);
        }
    }

    /** Random, positive, and at most 128 bits, well inside the 20-octet limit of RFC 5280. */
    private static BigInteger serialNumber() {
        return new BigInteger(127, Keys.RANDOM).add(BigInteger.ONE);
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }
}
