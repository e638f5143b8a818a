package io.kedge.apiserver;

import io.kedge.apiserver.authz.ComponentPolicy;
import io.kedge.pki.CertificateAuthority;
import io.kedge.pki.IssuedCertificate;
import io.kedge.pki.Kubeconfig;
import io.kedge.pki.ServingCertificates;
import io.kedge.pki.SubjectAltNames;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/**
 * The server's certificates on first start, reused after: the cluster CA, the serving
 * certificate, the admin kubeconfig, and the kubeconfigs of the controllers and the scheduler,
 * each with an identity of its own (upstream's user names, no groups) that RBAC grants only what
 * that component needs.
 */
final class Certificates {
    static final String ADMIN_USER = "kedge-admin";
    static final String MASTERS_GROUP = "system:masters";

    static final String CONTROLLER_MANAGER_KUBECONFIG = "controller-manager.kubeconfig";
    static final String SCHEDULER_KUBECONFIG = "scheduler.kubeconfig";

    final CertificateAuthority ca;
    final IssuedCertificate serving;
    final Path adminKubeconfig;
    final Path controllerManagerKubeconfig;
    final Path schedulerKubeconfig;

    private Certificates(CertificateAuthority ca, IssuedCertificate serving, Path dataDir) {
        this.ca = ca;
        this.serving = serving;
        this.adminKubeconfig = dataDir.resolve("admin.kubeconfig");
        this.controllerManagerKubeconfig = dataDir.resolve(CONTROLLER_MANAGER_KUBECONFIG);
        this.schedulerKubeconfig = dataDir.resolve(SCHEDULER_KUBECONFIG);
    }

    static Certificates ensure(ServerConfig cfg) throws IOException {
        Path pki = cfg.dataDir().resolve("pki");
        Files.createDirectories(pki);
        CertificateAuthority ca = CertificateAuthority.loadOrCreate(pki);
        List<String> names = new ArrayList<>(SubjectAltNames.API_SERVER_DEFAULTS);
        if (cfg.bindAddress() != null) names.add(cfg.bindAddress());
        if (cfg.advertiseAddress() != null && !cfg.advertiseAddress().isBlank()) names.add(cfg.advertiseAddress());
        IssuedCertificate serving = ServingCertificates.loadOrIssue(pki, ca, SubjectAltNames.of(names));
        return new Certificates(ca, serving, cfg.dataDir());
    }

    /** Written once the port is bound, so that a port picked by the system (0) is the one they name. */
    void writeKubeconfigs(ServerConfig cfg, int port) throws IOException {
        String server = Kubeconfig.serverUrl(cfg.clientAddress(), port);
        write(adminKubeconfig, server, ADMIN_USER, List.of(MASTERS_GROUP));
        write(controllerManagerKubeconfig, server, ComponentPolicy.CONTROLLER_MANAGER, List.of());
        write(schedulerKubeconfig, server, ComponentPolicy.SCHEDULER, List.of());
    }

    private void write(Path file, String server, String user, List<String> groups) throws IOException {
        if (!reusable(file, ca, server, user, groups)) {
            IssuedCertificate cert = ca.issueClient(user, groups, Duration.ofDays(365));
            Kubeconfig.withClientCertificate(server, ca.certificate(), cert).write(file);
        }
    }

    /**
     * An existing kubeconfig is kept if it points here, and its certificate comes from this CA, is
     * not about to expire, and names the same user and groups.
     */
    private static boolean reusable(Path file, CertificateAuthority ca, String server, String user, List<String> groups) {
        if (!Files.exists(file)) {
            return false;
        }
        try {
            Kubeconfig k = Kubeconfig.read(file);
            if (!k.server().equals(server) || k.clientCertificate().isEmpty()) {
                return false;
            }
            X509Certificate cert = k.clientCertificate().get().certificate();
            return ca.issued(cert) && names(cert, user, groups)
                    && cert.getNotAfter().getTime() > System.currentTimeMillis() + Duration.ofDays(30).toMillis();
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** Whether the certificate's subject is the user (CN) in exactly these groups (O), as the authenticator reads it. */
    private static boolean names(X509Certificate cert, String user, List<String> groups) {
        String cn = null;
        Set<String> orgs = new HashSet<>();
        try {
            for (Rdn rdn : new LdapName(cert.getSubjectX500Principal().getName()).getRdns()) {
                if (rdn.getType().equalsIgnoreCase("CN")) {
                    cn = rdn.getValue().toString();
                } else if (rdn.getType().equalsIgnoreCase("O")) {
                    orgs.add(rdn.getValue().toString());
                }
            }
        } catch (InvalidNameException e) {
            return false;
        }
        return user.equals(cn) && orgs.equals(Set.copyOf(groups));
    }
}
