package io.kedge.pki;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServingCertificatesTest {
    private final CertificateAuthority ca = CertificateAuthority.create("test-ca");

    @TempDir
    Path dir;

    @Test
    void firstCallIssuesAndWritesServerCertAndKey() throws Exception {
        IssuedCertificate issued = ServingCertificates.loadOrIssue(dir, ca, List.of("localhost"), List.of("127.0.0.1"));

        assertThat(ca.issued(issued.certificate())).isTrue();
        assertThat(IssuedCertificate.readFrom(dir.resolve("server.crt"), dir.resolve("server.key")).certificate())
                .isEqualTo(issued.certificate());
        assertThat(issued.certificate().getExtendedKeyUsage()).containsExactly(KeyPurpose.SERVER_AUTH.oid());
    }

    @Test
    void reusesTheCertificateWhenTheRequestedSansAreCovered() throws Exception {
        IssuedCertificate first = ServingCertificates.loadOrIssue(dir, ca,
                List.of("localhost", "kubernetes"), List.of("127.0.0.1", "10.1.2.3"));

        IssuedCertificate second = ServingCertificates.loadOrIssue(dir, ca, List.of("KUBERNETES"), List.of("10.1.2.3"));

        assertThat(second.certificate().getSerialNumber()).isEqualTo(first.certificate().getSerialNumber());
        assertThat(second.key()).isEqualTo(first.key());
    }

    @Test
    void reissuesWhenANewSanIsRequested() throws Exception {
        IssuedCertificate first = ServingCertificates.loadOrIssue(dir, ca, List.of("localhost"), List.of("127.0.0.1"));

        IssuedCertificate second = ServingCertificates.loadOrIssue(dir, ca,
                List.of("localhost"), List.of("127.0.0.1", "192.168.5.5"));

        assertThat(second.certificate().getSerialNumber()).isNotEqualTo(first.certificate().getSerialNumber());
        assertThat(SubjectAltNames.of(second.certificate()).ipAddresses()).containsExactly("127.0.0.1", "192.168.5.5");
        assertThat(PemFiles.readCertificate(dir.resolve("server.crt"))).isEqualTo(second.certificate());
    }

    @Test
    void reissuesWhenTheExistingCertificateIsWithinThirtyDaysOfExpiry() throws Exception {
        IssuedCertificate shortLived = ca.issueServing("api", List.of("localhost"), List.of(), Duration.ofDays(20));
        shortLived.writeTo(dir.resolve("server.crt"), dir.resolve("server.key"));

        IssuedCertificate result = ServingCertificates.loadOrIssue(dir, ca, List.of("localhost"), List.of());

        assertThat(result.certificate().getSerialNumber()).isNotEqualTo(shortLived.certificate().getSerialNumber());
        assertThat(result.certificate().getNotAfter()).isAfter(shortLived.certificate().getNotAfter());
    }

    @Test
    void reissuesWhenTheExistingCertificateCameFromAnotherCa() throws Exception {
        CertificateAuthority old = CertificateAuthority.create("old-ca");
        ServingCertificates.loadOrIssue(dir, old, List.of("localhost"), List.of());

        IssuedCertificate result = ServingCertificates.loadOrIssue(dir, ca, List.of("localhost"), List.of());

        assertThat(ca.issued(result.certificate())).isTrue();
    }

    @Test
    void reissuesOverACorruptCertificateFile() throws Exception {
        ServingCertificates.loadOrIssue(dir, ca, List.of("localhost"), List.of());
        Files.writeString(dir.resolve("server.crt"), "not a certificate");

        IssuedCertificate result = ServingCertificates.loadOrIssue(dir, ca, List.of("localhost"), List.of());

        assertThat(ca.issued(result.certificate())).isTrue();
        assertThat(PemFiles.readCertificate(dir.resolve("server.crt"))).isEqualTo(result.certificate());
    }
}
