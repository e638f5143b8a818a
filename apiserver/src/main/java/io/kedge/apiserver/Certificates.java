package io.kedge.apiserver;

import io.kedge.pki.CertificateAuthority;
import io.kedge.pki.IssuedCertificate;
import io.kedge.pki.Kubeconfig;
import io.kedge.pki.ServingCertificates;
import io.kedge.pki.SubjectAltNames;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The server's certificates on first start, reused after: the cluster CA, the serving
 * certificate, and the admin kubeconfig.
 */
final class Certificates {
    static final String ADMIN_USER = "kedge-admin";
    static final String MASTERS_GROUP = "system:masters";

    final CertificateAuthority ca;
    final IssuedCertificate serving;
    final Path adminKubeconfig;

    private Certificates(CertificateAuthority ca, IssuedCertificate serving, Path adminKubeconfig) {
        this.ca = ca;
        this.serving = serving;
        this.adminKubeconfig = adminKubeconfig;
    }

    static Certificates ensure(ServerConfig cfg) throws IOException {
        Path pki = cfg.dataDir().resolve("pki");
        Files.createDirectories(pki);
        CertificateAuthority ca = CertificateAuthority.loadOrCreate(pki);
        List<String> names = new ArrayList<>(SubjectAltNames.API_SERVER_DEFAULTS);
        if (cfg.bindAddress() != null) names.add(cfg.bindAddress());
        if (cfg.advertiseAddress() != null && !cfg.advertiseAddress().isBlank()) names.add(cfg.advertiseAddress());
        IssuedCertificate serving = ServingCertificates.loadOrIssue(pki, ca, SubjectAltNames.of(names));
        return new Certificates(ca, serving, cfg.dataDir().resolve("admin.kubeconfig"));
    }

    /** Written once the port is bound, so that a port picked by the system (0) is the one it names. */
    void writeAdminKubeconfig(ServerConfig cfg, int port) throws IOException {
        String server = Kubeconfig.serverUrl(cfg.clientAddress(), port);
        if (!reusable(adminKubeconfig, ca, server)) {
            IssuedCertificate admin = ca.issueClient(ADMIN_USER, List.of(MASTERS_GROUP), Duration.ofDays(365));
            Kubeconfig.withClientCertificate(server, ca.certificate(), admin).write(adminKubeconfig);
        }
    }

    /** An existing kubeconfig is kept if it points here and its certificate comes from this CA. */
    private static boolean reusable(Path file, CertificateAuthority ca, String server) {
        if (!Files.exists(file)) {
            return false;
        }
        try {
            Kubeconfig k = Kubeconfig.read(file);
            return k.server().equals(server) && k.clientCertificate().map(c -> ca.issued(c.certificate())).orElse(false)
                    && k.clientCertificate().get().certificate().getNotAfter().getTime()
                    > System.currentTimeMillis() + Duration.ofDays(30).toMillis();
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
