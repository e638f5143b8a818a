package io.kedge.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.kedge.pki.CertificateAuthority;
import io.kedge.pki.IssuedCertificate;
import io.kedge.pki.Kubeconfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Client certificates the server must not believe, presented by kubectl: one from another CA that
 * claims the admin's name and group, and one the cluster CA signed that has expired. Both get the
 * same plain 401 as a wrong token (not a broken TLS handshake), and the real admin certificate
 * still works beside them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClientCertificateTest {
    Path tmp;
    ServerProcess server;
    CertificateAuthority clusterCa;

    @BeforeAll
    void start() throws Exception {
        tmp = Files.createTempDirectory("kedge-client-certs");
        server = new ServerProcess(tmp.resolve("server"), List.of()).start();
        clusterCa = CertificateAuthority.load(tmp.resolve("server/pki"));
    }

    @AfterAll
    void stop() throws Exception {
        server.close();
    }

    private Cli kubectlAs(String name, IssuedCertificate client) throws Exception {
        Path file = tmp.resolve(name + ".kubeconfig");
        Kubeconfig.withClientCertificate(Kubeconfig.read(server.kubeconfig()).server(), clusterCa.certificate(), client).write(file);
        return new Cli("kubectl-1.35", file);
    }

    @Test
    void aCertificateFromAnotherCaIsUnauthorizedWhateverNameItClaims() throws Exception {
        CertificateAuthority impostor = CertificateAuthority.create("kedge-ca");
        Cli forged = kubectlAs("forged", impostor.issueClient("kedge-admin", List.of("system:masters"), Duration.ofHours(1)));

        Cli.Result r = forged.run("get", "namespaces");

        assertThat(r.exit()).isNotZero();
        assertThat(r.err()).as("kubectl's words for a 401").contains("You must be logged in to the server");
        assertThat(new Cli("kubectl-1.35", server.kubeconfig()).run("get", "namespaces").ok().out()).contains("default");
    }

    @Test
    void anExpiredCertificateOfTheClusterCaIsUnauthorized() throws Exception {
        IssuedCertificate shortLived = clusterCa.issueClient("kedge-admin", List.of("system:masters"), Duration.ofSeconds(1));
        Cli expired = kubectlAs("expired", shortLived);
        Await.until("the certificate past its notAfter", Duration.ofSeconds(30),
                () -> shortLived.certificate().getNotAfter().toInstant().isBefore(java.time.Instant.now().minusSeconds(1)));

        Cli.Result r = expired.run("get", "namespaces");

        assertThat(r.exit()).isNotZero();
        assertThat(r.err()).as("kubectl's words for a 401").contains("You must be logged in to the server");
        assertThat(Files.readString(tmp.resolve("server/server.log"))).doesNotContain("Exception in thread");
    }
}
