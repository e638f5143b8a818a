package io.kedge.kubelet.certs;

import io.kedge.hub.ClientCertificateStatus;
import io.kedge.kubelet.join.TokenJoin;
import io.kedge.pki.CertificateRequest;
import io.kedge.pki.IssuedCertificate;
import io.kedge.pki.Keys;
import io.kedge.pki.Kubeconfig;
import io.kedge.pki.RenewableCertificate;
import io.kedge.pki.SubjectAltNames;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the node's client certificate ({@code system:node:NAME}) valid. At 70% of its lifetime the
 * node asks for a new one with a CSR made with the certificate it has, writes the new kubeconfig
 * (the old file stays until the new one replaces it whole), and installs it in {@code identity},
 * whose listeners move the hub and the tunnel over. If the certificate expired while the cloud was
 * out of reach, the node joins again with its bootstrap token when it has one; otherwise it says
 * what an operator must do.
 */
public final class ClientCertificateRotation implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ClientCertificateRotation.class);
    static final List<String> USAGES = List.of("digital signature", "client auth");

    private final String nodeName;
    private final Path dataDir;
    private final Supplier<List<URI>> servers;
    private final X509Certificate clusterCa;
    private final RenewableCertificate identity;
    private final ClientCertificateStatus status;
    private final BootstrapToken bootstrap;
    private final RotationTiming timing;
    private final Clock clock;
    private final CloudCertificates cloud;
    private RotationSchedule schedule;

    /**
     * @param servers   the cloud servers, the one the hub uses now first
     * @param bootstrap the token to join again with after expiry, or null
     */
    public ClientCertificateRotation(String nodeName, Path dataDir, Supplier<List<URI>> servers, X509Certificate clusterCa,
                                     RenewableCertificate identity, ClientCertificateStatus status, BootstrapToken bootstrap,
                                     RotationTiming timing, Clock clock) {
        this.nodeName = nodeName;
        this.dataDir = dataDir;
        this.servers = servers;
        this.clusterCa = clusterCa;
        this.identity = identity;
        this.status = status;
        this.bootstrap = bootstrap;
        this.timing = timing;
        this.clock = clock;
        this.cloud = new CloudCertificates(servers, clusterCa);
    }

    public ClientCertificateRotation start() {
        schedule = new RotationSchedule(new Renewal(), clock, timing.firstBackoff(), timing.maxBackoff()).start();
        return this;
    }

    private final class Renewal implements RotationSchedule.Renewal {
        @Override
        public String what() {
            return "client certificate of node " + nodeName;
        }

        @Override
        public Instant due() {
            return RotationSchedule.dueAt(identity.current().certificate());
        }

        @Override
        public void renew() throws IOException, InterruptedException {
            IssuedCertificate current = identity.current();
            Instant notAfter = current.certificate().getNotAfter().toInstant();
            if (!clock.instant().isBefore(notAfter)) {
                recoverExpired(notAfter, null);
                return;
            }
            KeyPair keys = Keys.generateP256();
            CertificateRequest request = CertificateRequest.create(keys, "system:node:" + nodeName, List.of("system:nodes"),
                    SubjectAltNames.none());
            X509Certificate issued;
            try {
                issued = cloud.call(current, client -> {
                    String name = CsrRequests.name("node-csr", nodeName);
                    CsrRequests.submit(client, name, TokenJoin.SIGNER, USAGES, request);
                    LOG.info("node {} asked for a new client certificate with CSR {}", nodeName, name);
                    return CsrRequests.await(client, name, timing.approvalWait());
                });
            } catch (CredentialsRefusedException e) {
                recoverExpired(notAfter, e.getMessage());
                return;
            }
            install(new IssuedCertificate(issued, keys.getPrivate()));
        }
    }

    private void install(IssuedCertificate next) throws IOException {
        Path kubeconfig = TokenJoin.kubeconfigIn(dataDir);
        // written whole to a temporary file and renamed (mode 0600): a crash leaves the old or the new, never half
        Kubeconfig.withClientCertificate(servers.get().get(0).toString(), clusterCa, next).write(kubeconfig);
        identity.replace(next);
        LOG.info("node {} rotated its client certificate: the new one is valid until {}; credentials in {}", nodeName,
                next.certificate().getNotAfter().toInstant(), kubeconfig);
    }

    private void recoverExpired(Instant notAfter, String why) throws IOException, InterruptedException {
        boolean expired = !clock.instant().isBefore(notAfter);
        String state = (expired ? "expired at " + notAfter : "(valid until " + notAfter + ") is refused by the cloud")
                + (why == null ? "" : " (" + why + ")");
        if (bootstrap == null) {
            String message = "the node's client certificate " + state + ", and the agent has no bootstrap token to "
                    + "join again with. To recover: run `kedge token create` on the server, then restart this agent with the "
                    + "--token and --ca-cert-hash it prints";
            status.actionNeeded(message);
            throw new IOException(message); // logged by the schedule, again at each retry

        }
        LOG.warn("node {}: the client certificate {}; joining again with the bootstrap token", nodeName, state);
        IOException last = null;
        for (URI server : servers.get()) {
            try {
                Path kubeconfig = TokenJoin.join(server, bootstrap.token(), bootstrap.caCertHash(), nodeName, dataDir,
                        timing.approvalWait());
                IssuedCertificate joined = Kubeconfig.read(kubeconfig).clientCertificate().orElseThrow(
                        () -> new IOException("the join wrote no client certificate to " + kubeconfig));
                identity.replace(joined);
                return;
            } catch (IOException e) {
                last = e;
            }
        }
        String message = "the node's client certificate " + state + ", and joining again with the bootstrap "
                + "token failed: " + (last == null ? "no server" : last.getMessage());
        if (last != null && last.getMessage() != null && last.getMessage().contains("refused the bootstrap token")) {
            // only a person can help now; an unreachable cloud is simply tried again
            status.actionNeeded(message + "; run `kedge token create` on the server, then restart this agent with the "
                    + "--token and --ca-cert-hash it prints");
        }
        throw new IOException(message, last);
    }

    @Override
    public void close() {
        if (schedule != null) {
            schedule.close();
        }
    }
}
