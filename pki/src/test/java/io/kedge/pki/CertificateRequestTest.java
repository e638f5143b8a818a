package io.kedge.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.junit.jupiter.api.Test;

class CertificateRequestTest {
    private static final Duration DAY = Duration.ofDays(1);
    private final CertificateAuthority ca = CertificateAuthority.create("test-ca");

    private static PKCS10CertificationRequest bouncyCastleCsr(KeyPair keys, String subject, GeneralNames sans)
            throws Exception {
        JcaPKCS10CertificationRequestBuilder builder =
                new JcaPKCS10CertificationRequestBuilder(new X500Name(subject), keys.getPublic());
        if (sans != null) {
            ExtensionsGenerator extensions = new ExtensionsGenerator();
            extensions.addExtension(Extension.subjectAlternativeName, false, sans);
            builder.addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, extensions.generate());
        }
        return builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate()));
    }

    @Test
    void aBouncyCastleCsrIsSignedIntoACertificateThatVerifiesAndKeepsSubjectAndKey() throws Exception {
        KeyPair keys = Keys.generateP256();
        PKCS10CertificationRequest csr = bouncyCastleCsr(keys, "O=system:nodes,CN=system:node:edge-1", null);

        X509Certificate cert = ca.signCsr(csr.getEncoded(), DAY, EnumSet.of(KeyPurpose.CLIENT_AUTH));

        cert.verify(ca.certificate().getPublicKey());
        assertThat(ca.issued(cert)).isTrue();
        assertThat(cert.getPublicKey()).isEqualTo(keys.getPublic());
        assertThat(cert.getSubjectX500Principal().getEncoded()).isEqualTo(csr.getSubject().getEncoded());
        assertThat(cert.getExtendedKeyUsage()).containsExactly(KeyPurpose.CLIENT_AUTH.oid());
        assertThat(new IssuedCertificate(cert, keys.getPrivate()).certificate()).isSameAs(cert);
    }

    @Test
    void servingCsrKeepsItsDnsAndIpSansAndAcceptsPem() throws Exception {
        KeyPair keys = Keys.generateP256();
        CertificateRequest request = CertificateRequest.create(keys, "system:node:edge-1", List.of("system:nodes"),
                new SubjectAltNames(List.of("edge-1"), List.of("10.0.0.7")));

        X509Certificate cert = ca.signCsr(request.pem().getBytes(StandardCharsets.US_ASCII), DAY,
                EnumSet.of(KeyPurpose.SERVER_AUTH, KeyPurpose.CLIENT_AUTH));

        cert.verify(ca.certificate().getPublicKey());
        assertThat(SubjectAltNames.of(cert)).isEqualTo(new SubjectAltNames(List.of("edge-1"), List.of("10.0.0.7")));
        assertThat(cert.getExtendedKeyUsage())
                .containsExactlyInAnyOrder(KeyPurpose.SERVER_AUTH.oid(), KeyPurpose.CLIENT_AUTH.oid());
    }

    @Test
    void parsedRequestExposesCommonNameOrganizationsAndSans() {
        CertificateRequest created = CertificateRequest.create(Keys.generateP256(), "system:node:edge-1",
                List.of("system:nodes", "extra"), new SubjectAltNames(List.of("edge-1"), List.of("::1")));

        CertificateRequest parsed = CertificateRequest.parse(created.der());

        assertThat(parsed.commonName()).isEqualTo("system:node:edge-1");
        assertThat(parsed.organizations()).containsExactly("system:nodes", "extra");
        assertThat(parsed.subjectAltNames()).isEqualTo(new SubjectAltNames(List.of("edge-1"), List.of("::1")));
        assertThat(parsed.publicKey()).isEqualTo(created.publicKey());
    }

    @Test
    void anRsaCsrIsSignedWithKeyEncipherment() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair keys = generator.generateKeyPair();
        CertificateRequest request = CertificateRequest.create(keys, "rsa-user", List.of(), null);

        X509Certificate cert = ca.signCsr(request.der(), DAY, Set.of(KeyPurpose.CLIENT_AUTH));

        cert.verify(ca.certificate().getPublicKey());
        assertThat(cert.getKeyUsage()[2]).as("keyEncipherment").isTrue();
    }

    @Test
    void aCsrWithATamperedSubjectFailsSignatureVerification() throws Exception {
        byte[] der = bouncyCastleCsr(Keys.generateP256(), "CN=alice", null).getEncoded();
        String encoded = new String(der, StandardCharsets.ISO_8859_1);
        byte[] tampered = encoded.replace("alice", "admin").getBytes(StandardCharsets.ISO_8859_1);

        assertThatThrownBy(() -> ca.signCsr(tampered, DAY, Set.of(KeyPurpose.CLIENT_AUTH)))
                .isInstanceOf(PkiException.class)
                .hasMessageContaining("signature does not verify");
    }

    @Test
    void garbageCsrInputGivesAClearMessage() {
        assertThatThrownBy(() -> ca.signCsr("hello".getBytes(StandardCharsets.US_ASCII), DAY,
                Set.of(KeyPurpose.CLIENT_AUTH)))
                .isInstanceOf(PkiException.class).hasMessageStartingWith("CSR: not a PKCS#10 certificate request");
        assertThatThrownBy(() -> ca.signCsr("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"
                .getBytes(StandardCharsets.US_ASCII), DAY, Set.of(KeyPurpose.CLIENT_AUTH)))
                .isInstanceOf(PkiException.class).hasMessageContaining("no PEM CERTIFICATE REQUEST block");
        assertThatThrownBy(() -> ca.signCsr(new byte[0], DAY, Set.of(KeyPurpose.CLIENT_AUTH)))
                .isInstanceOf(PkiException.class).hasMessage("CSR: empty input");
    }

    @Test
    void aCsrWithoutCommonNameOrPurposeIsRefused() throws Exception {
        byte[] noCn = bouncyCastleCsr(Keys.generateP256(), "O=group", null).getEncoded();
        byte[] ok = bouncyCastleCsr(Keys.generateP256(), "CN=alice", null).getEncoded();

        assertThatThrownBy(() -> ca.signCsr(noCn, DAY, Set.of(KeyPurpose.CLIENT_AUTH)))
                .isInstanceOf(PkiException.class).hasMessage("CSR has no subject common name");
        assertThatThrownBy(() -> ca.signCsr(ok, DAY, Set.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least one key purpose");
    }

    @Test
    void aCsrRequestingAnEmailSanIsRefused() throws Exception {
        GeneralNames sans = new GeneralNames(new GeneralName(GeneralName.rfc822Name, "a@example.com"));
        byte[] csr = bouncyCastleCsr(Keys.generateP256(), "CN=alice", sans).getEncoded();

        assertThatThrownBy(() -> ca.signCsr(csr, DAY, Set.of(KeyPurpose.SERVER_AUTH)))
                .isInstanceOf(PkiException.class)
                .hasMessageContaining("only DNS names and IP addresses are supported");
    }

    @Test
    void kubernetesUsageNamesMapToPurposes() {
        assertThat(KeyPurpose.fromKubernetesUsage("client auth")).contains(KeyPurpose.CLIENT_AUTH);
        assertThat(KeyPurpose.fromKubernetesUsage("server auth")).contains(KeyPurpose.SERVER_AUTH);
        assertThat(KeyPurpose.fromKubernetesUsage("digital signature")).isEmpty();
    }
}
