package io.kedge.apiserver.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.kedge.pki.CertificateAuthority;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;

class ClientCertificatesTest {
    private final CertificateAuthority cluster = CertificateAuthority.create("kedge-ca");
    private final ClientCertificates check = ClientCertificates.trusting(cluster.certificate());

    @Test
    void aCertificateOfTheClusterCaPasses() {
        X509Certificate good = cluster.issueClient("alice", List.of("dev"), Duration.ofHours(1)).certificate();

        assertThat(check.problem(new X509Certificate[] {good})).isEmpty();
    }

    @Test
    void aCertificateOfAnotherCaWithTheSameNameFails() {
        X509Certificate forged = CertificateAuthority.create("kedge-ca").issueClient("alice", List.of("system:masters"),
                Duration.ofHours(1)).certificate();

        assertThat(check.problem(new X509Certificate[] {forged})).isPresent();
    }

    @Test
    void anExpiredCertificateOfTheClusterCaFails() throws Exception {
        X509Certificate expired = cluster.issueClient("alice", List.of(), Duration.ofSeconds(1)).certificate();
        while (!expired.getNotAfter().before(new java.util.Date(System.currentTimeMillis() - 1000))) {
            Thread.sleep(200);
        }

        assertThat(check.problem(new X509Certificate[] {expired})).get().asString().contains("rejected");
    }

    @Test
    void theHandshakeLetsEveryClientThroughButNamesTheClusterCa() throws Exception {
        X509TrustManager handshake = (X509TrustManager) check.handshakeTrust().getTrustManagers()[0];
        X509Certificate forged = CertificateAuthority.create("other").issueClient("x", List.of(), Duration.ofHours(1)).certificate();

        handshake.checkClientTrusted(new X509Certificate[] {forged}, "UNKNOWN");
        assertThat(handshake.getAcceptedIssuers()).containsExactly(cluster.certificate());
    }
}
