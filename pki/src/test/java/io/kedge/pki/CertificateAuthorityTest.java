package io.kedge.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CertificateAuthorityTest {
    private static final Duration DAY = Duration.ofDays(1);
    private final CertificateAuthority ca = CertificateAuthority.create("test-ca");

    @TempDir
    Path dir;

    @Test
    void caCertificateIsSelfSignedCaWithCertSignUsageAndTenYearValidity() throws Exception {
        X509Certificate cert = ca.certificate();

        cert.verify(cert.getPublicKey());
        assertThat(cert.getBasicConstraints()).isGreaterThanOrEqualTo(0);
        boolean[] usage = cert.getKeyUsage();
        assertThat(usage[5]).as("keyCertSign").isTrue();
        assertThat(usage[6]).as("cRLSign").isTrue();
        assertThat(cert.getPublicKey().getAlgorithm()).isEqualTo("EC");
        assertThat(cert.getNotAfter().toInstant())
                .isAfter(Instant.now().plus(Duration.ofDays(3649)))
                .isBefore(Instant.now().plus(Duration.ofDays(3651)));
    }

    @Test
    void servingCertificateVerifiesAgainstCaAndHasExactlyTheRequestedSansAndServerAuth() throws Exception {
        IssuedCertificate served = ca.issueServing("api", List.of("localhost", "kubernetes.default"),
                List.of("127.0.0.1", "::1"), DAY);
        X509Certificate cert = served.certificate();

        cert.verify(ca.certificate().getPublicKey());
        assertThat(ca.issued(cert)).isTrue();
        assertThat(cert.getExtendedKeyUsage()).containsExactly(KeyPurpose.SERVER_AUTH.oid());
        assertThat(cert.getBasicConstraints()).isEqualTo(-1);
        assertThat(cert.getSubjectAlternativeNames()).containsExactlyInAnyOrder(
                List.of(2, "localhost"), List.of(2, "kubernetes.default"),
                List.of(7, "127.0.0.1"), List.of(7, "0:0:0:0:0:0:0:1"));
        assertThat(SubjectAltNames.of(cert))
                .isEqualTo(new SubjectAltNames(List.of("localhost", "kubernetes.default"),
                        List.of("127.0.0.1", "::1")));
    }

    @Test
    void clientCertificateCarriesCommonNameEachOrganizationAndClientAuth() throws Exception {
        IssuedCertificate client = ca.issueClient("system:node:edge-1", List.of("system:nodes", "kedge:edge"), DAY);
        X509Certificate cert = client.certificate();

        cert.verify(ca.certificate().getPublicKey());
        assertThat(cert.getExtendedKeyUsage()).containsExactly(KeyPurpose.CLIENT_AUTH.oid());
        X500Name subject = X500Name.getInstance(cert.getSubjectX500Principal().getEncoded());
        assertThat(SubjectNames.values(subject, BCStyle.CN)).containsExactly("system:node:edge-1");
        assertThat(SubjectNames.values(subject, BCStyle.O)).containsExactly("system:nodes", "kedge:edge");
        assertThat(subject.getRDNs(BCStyle.O)).hasSize(2);
        assertThat(cert.getSubjectAlternativeNames()).isNull();
    }

    @Test
    void issuedValidityIsCappedAtTheCaExpiry() {
        IssuedCertificate client = ca.issueClient("alice", List.of(), Duration.ofDays(365 * 20));

        assertThat(client.certificate().getNotAfter()).isEqualTo(ca.certificate().getNotAfter());
    }

    @Test
    void issuedIsFalseForACertificateFromAnotherCa() {
        CertificateAuthority other = CertificateAuthority.create("test-ca");
        IssuedCertificate foreign = other.issueClient("mallory", List.of(), DAY);

        assertThat(ca.issued(foreign.certificate())).isFalse();
        assertThat(ca.issued(other.certificate())).isFalse();
        assertThat(ca.issued(ca.certificate())).isTrue();
    }

    @Test
    void loadOrCreateTwiceReturnsTheSameCaAndWritesTheKeyOwnerOnly() throws Exception {
        CertificateAuthority first = CertificateAuthority.loadOrCreate(dir);
        CertificateAuthority second = CertificateAuthority.loadOrCreate(dir);

        assertThat(second.certificate().getSerialNumber()).isEqualTo(first.certificate().getSerialNumber());
        assertThat(second.certificate().getPublicKey()).isEqualTo(first.certificate().getPublicKey());
        assertThat(second.certificate()).isEqualTo(first.certificate());
        assertThat(second.issued(first.issueClient("bob", List.of(), DAY).certificate())).isTrue();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("ca.key"))))
                .isEqualTo("rw-------");
        assertThat(Files.readString(dir.resolve("ca.crt"))).startsWith("-----BEGIN CERTIFICATE-----");
        assertThat(Files.readString(dir.resolve("ca.key"))).startsWith("-----BEGIN PRIVATE KEY-----");
    }

    @Test
    void loadOrCreateRefusesToReplaceAHalfPresentCa() throws Exception {
        CertificateAuthority.loadOrCreate(dir);
        Files.delete(dir.resolve("ca.key"));

        assertThatThrownBy(() -> CertificateAuthority.loadOrCreate(dir))
                .isInstanceOf(PkiException.class)
                .hasMessageContaining("ca.key is missing");
    }

    @Test
    void loadRejectsACaKeyThatDoesNotMatchTheCertificate() throws Exception {
        CertificateAuthority.loadOrCreate(dir);
        PemFiles.writePrivateKey(dir.resolve("ca.key"), Keys.generateP256().getPrivate());

        assertThatThrownBy(() -> CertificateAuthority.loadOrCreate(dir))
                .isInstanceOf(PkiException.class)
                .hasMessageContaining("does not match CA certificate");
    }

    @Test
    void aLeafCertificateCannotServeAsCa() {
        IssuedCertificate leaf = ca.issueClient("alice", List.of(), DAY);

        assertThatThrownBy(() -> CertificateAuthority.of(leaf.certificate(), leaf.key()))
                .isInstanceOf(PkiException.class)
                .hasMessageContaining("is not a CA certificate");
    }

    @Test
    void badIssueArgumentsAreRejectedWithSpecificMessages() {
        assertThatThrownBy(() -> ca.issueServing("api", List.of(), List.of(), DAY))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least one DNS name or IP");
        assertThatThrownBy(() -> ca.issueServing("api", List.of(), List.of("not-an-ip"), DAY))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not an IP address: 'not-an-ip'");
        assertThatThrownBy(() -> ca.issueServing("api", List.of("bad name"), List.of(), DAY))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a valid DNS name");
        assertThatThrownBy(() -> ca.issueClient(" ", List.of(), DAY))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("non-empty common name");
        assertThatThrownBy(() -> ca.issueClient("alice", List.of(), Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("validity must be positive");
    }

    @Test
    void caSubjectIsTheGivenCommonName() {
        assertThat(ca.certificate().getSubjectX500Principal()).isEqualTo(new X500Principal("CN=test-ca"));
    }
}
