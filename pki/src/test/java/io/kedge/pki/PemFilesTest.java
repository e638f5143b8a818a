package io.kedge.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.List;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.util.io.pem.PemObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PemFilesTest {
    private final CertificateAuthority ca = CertificateAuthority.create("test-ca");

    @TempDir
    Path dir;

    private static String traditionalPem(Object key) throws Exception {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(key);
        }
        return out.toString();
    }

    /** The SEC1 form OpenSSL and Go write: curve parameters and public key inside the key structure. */
    private static String sec1Pem(KeyPair keys) throws Exception {
        SubjectPublicKeyInfo publicKey = SubjectPublicKeyInfo.getInstance(keys.getPublic().getEncoded());
        ECPrivateKey sec1 = new ECPrivateKey(256, ((java.security.interfaces.ECPrivateKey) keys.getPrivate()).getS(),
                publicKey.getPublicKeyData(), publicKey.getAlgorithm().getParameters());
        return traditionalPem(new PemObject("EC PRIVATE KEY", sec1.getEncoded()));
    }

    @Test
    void issuedCertificateRoundTripsThroughFiles() throws Exception {
        IssuedCertificate issued = ca.issueClient("alice", List.of("devs"), Duration.ofDays(1));
        issued.writeTo(dir.resolve("a.crt"), dir.resolve("a.key"));

        IssuedCertificate read = IssuedCertificate.readFrom(dir.resolve("a.crt"), dir.resolve("a.key"));

        assertThat(read.certificate()).isEqualTo(issued.certificate());
        assertThat(read.key().getEncoded()).isEqualTo(issued.key().getEncoded());
        assertThat(issued.keyPem()).startsWith("-----BEGIN PRIVATE KEY-----");
    }

    @Test
    void traditionalEcAndRsaPrivateKeyFormsAreRead() throws Exception {
        KeyPair ec = Keys.generateP256();
        KeyPairGenerator rsaGenerator = KeyPairGenerator.getInstance("RSA");
        rsaGenerator.initialize(2048);
        KeyPair rsa = rsaGenerator.generateKeyPair();
        String ecPem = sec1Pem(ec);
        String rsaPem = traditionalPem(rsa.getPrivate());

        assertThat(ecPem).startsWith("-----BEGIN EC PRIVATE KEY-----");
        assertThat(rsaPem).startsWith("-----BEGIN RSA PRIVATE KEY-----");
        assertThat(Keys.matches(PemFiles.parsePrivateKey(ecPem, "ec"), ec.getPublic())).isTrue();
        assertThat(Keys.matches(PemFiles.parsePrivateKey(rsaPem, "rsa"), rsa.getPublic())).isTrue();
    }

    @Test
    void aBundleYieldsEveryCertificateInOrder() {
        IssuedCertificate leaf = ca.issueClient("alice", List.of(), Duration.ofDays(1));
        String bundle = PemFiles.encode(List.of(leaf.certificate(), ca.certificate()));

        assertThat(PemFiles.parseCertificates(bundle, "bundle")).containsExactly(leaf.certificate(), ca.certificate());
    }

    @Test
    void aGarbageCertificateFileNamesTheFileInTheMessage() throws Exception {
        Path file = dir.resolve("garbage.crt");
        Files.writeString(file, "this is not PEM at all\n");

        assertThatThrownBy(() -> PemFiles.readCertificate(file))
                .isInstanceOf(PkiException.class)
                .hasMessage(file + ": no PEM CERTIFICATE block found");
    }

    @Test
    void aCorruptPemBodyIsReportedAsMalformed() throws Exception {
        Path file = dir.resolve("corrupt.crt");
        Files.writeString(file, "-----BEGIN CERTIFICATE-----\n!!!not base64!!!\n-----END CERTIFICATE-----\n");

        assertThatThrownBy(() -> PemFiles.readCertificate(file))
                .isInstanceOf(PkiException.class)
                .hasMessageStartingWith(file + ": malformed PEM");
    }

    @Test
    void aCertificateFileGivenAsKeyIsRejected() throws Exception {
        Path file = dir.resolve("wrong.key");
        Files.writeString(file, ca.certificatePem());

        assertThatThrownBy(() -> PemFiles.readPrivateKey(file))
                .isInstanceOf(PkiException.class)
                .hasMessage(file + ": no PEM PRIVATE KEY block found");
    }

    @Test
    void aKeyThatDoesNotMatchTheCertificateIsRejectedNamingBothFiles() throws Exception {
        IssuedCertificate issued = ca.issueClient("alice", List.of(), Duration.ofDays(1));
        Path certFile = dir.resolve("a.crt");
        Path keyFile = dir.resolve("a.key");
        PemFiles.writeCertificate(certFile, issued.certificate());
        PemFiles.writePrivateKey(keyFile, Keys.generateP256().getPrivate());

        assertThatThrownBy(() -> IssuedCertificate.readFrom(certFile, keyFile))
                .isInstanceOf(PkiException.class)
                .hasMessage("private key " + keyFile + " does not match certificate " + certFile);
        assertThatThrownBy(() -> new IssuedCertificate(issued.certificate(), Keys.generateP256().getPrivate()))
                .isInstanceOf(PkiException.class)
                .hasMessageContaining("does not match the public key of certificate CN=alice");
    }

    @Test
    void aMissingFileIsReportedByName() {
        Path file = dir.resolve("absent.crt");

        assertThatThrownBy(() -> PemFiles.readCertificate(file))
                .isInstanceOf(java.nio.file.NoSuchFileException.class)
                .hasMessageContaining(file.toString());
    }
}
