package io.kedge.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import io.kedge.pki.Kubeconfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CertificatesTest {
    @TempDir
    Path dataDir;

    private ServerConfig config() {
        return new ServerConfig(dataDir, "127.0.0.1", 6443, null, "sqlite", List.of(), "10.43.0.0/16", null,
                Duration.ofMinutes(5), 4, Duration.ofSeconds(30));
    }

    private static X509Certificate clientCertificate(Path kubeconfig) throws Exception {
        return Kubeconfig.read(kubeconfig).clientCertificate().orElseThrow().certificate();
    }

    @Test
    void theControllersAndTheSchedulerGetKubeconfigsOfTheirOwnBesideTheAdmins() throws Exception {
        Certificates certs = Certificates.ensure(config());
        certs.writeKubeconfigs(config(), 7443);

        assertThat(certs.controllerManagerKubeconfig).isEqualTo(dataDir.resolve("controller-manager.kubeconfig"));
        assertThat(certs.schedulerKubeconfig).isEqualTo(dataDir.resolve("scheduler.kubeconfig"));
        assertThat(clientCertificate(certs.controllerManagerKubeconfig).getSubjectX500Principal().getName())
                .isEqualTo("CN=system:kube-controller-manager");
        assertThat(clientCertificate(certs.schedulerKubeconfig).getSubjectX500Principal().getName())
                .isEqualTo("CN=system:kube-scheduler");
        assertThat(clientCertificate(certs.adminKubeconfig).getSubjectX500Principal().getName())
                .isEqualTo("CN=kedge-admin,O=system:masters");
        for (Path p : List.of(certs.controllerManagerKubeconfig, certs.schedulerKubeconfig)) {
            assertThat(Kubeconfig.read(p).server()).isEqualTo("https://127.0.0.1:7443");
            assertThat(certs.ca.issued(clientCertificate(p))).isTrue();
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(p))).isEqualTo("rw-------");
        }
    }

    @Test
    void aRestartKeepsTheComponentsCertificates() throws Exception {
        Certificates.ensure(config()).writeKubeconfigs(config(), 7443);
        var before = clientCertificate(dataDir.resolve("controller-manager.kubeconfig")).getSerialNumber();

        Certificates.ensure(config()).writeKubeconfigs(config(), 7443);

        assertThat(clientCertificate(dataDir.resolve("controller-manager.kubeconfig")).getSerialNumber()).isEqualTo(before);
    }

    @Test
    void aKubeconfigOfAnotherIdentityInAComponentsPlaceIsReplaced() throws Exception {
        Certificates certs = Certificates.ensure(config());
        certs.writeKubeconfigs(config(), 7443);
        Files.copy(certs.adminKubeconfig, certs.controllerManagerKubeconfig, java.nio.file.StandardCopyOption.REPLACE_EXISTING);

        Certificates.ensure(config()).writeKubeconfigs(config(), 7443);

        assertThat(clientCertificate(certs.controllerManagerKubeconfig).getSubjectX500Principal().getName())
                .isEqualTo("CN=system:kube-controller-manager");
    }
}
