package io.kedge.kubelet.certs;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.Service;
import io.kedge.pki.CertificateRequest;
import io.kedge.pki.IssuedCertificate;
import io.kedge.pki.Keys;
import io.kedge.pki.PkiException;
import io.kedge.pki.RenewableCertificate;
import io.kedge.pki.SubjectAltNames;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's serving certificate, signed by the cluster CA ({@code kubernetes.io/kubelet-serving}):
 * for the kubelet API, and for the hub's HTTPS endpoint that pods reach as {@code kubernetes.default}.
 * It names the node, its InternalIPs, the {@code kubernetes} Service and the node DNS address. It is
 * asked for with a CSR made with the node's client certificate, kept in {@code DATA_DIR/pki}, and
 * renewed at 70% of its lifetime. Until the cluster signs one (a first start offline), the node-local
 * one serves. Servers read {@link #certificate()} for each new connection.
 */
public final class NodeServingCertificate implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NodeServingCertificate.class);
    public static final String SIGNER = "kubernetes.io/kubelet-serving";
    static final List<String> USAGES = List.of("digital signature", "key encipherment", "server auth");
    /** The names pods use for the API, which the hub answers on the node. */
    public static final List<String> API_NAMES = List.of("kubernetes", "kubernetes.default", "kubernetes.default.svc",
            "kubernetes.default.svc.cluster.local");
    static final String CERT_FILE = "kubelet-serving.crt";
    static final String KEY_FILE = "kubelet-serving.key";

    private final String nodeName;
    private final String nodeIp;
    private final Path pkiDir;
    private final String clusterDns;
    private final X509Certificate clusterCa;
    private final Supplier<IssuedCertificate> clientIdentity;
    private final CloudCertificates cloud;
    private final RotationTiming timing;
    private final Clock clock;
    private final RenewableCertificate certificate;
    private volatile boolean clusterSigned;
    private RotationSchedule schedule;

    /**
     * @param nodeIp         the InternalIP the node reports now (null when it has none): a kept certificate
     *                       that does not name it is asked for again, as after the node's address changed
     * @param fallback       the node-local serving certificate, served until the cluster signs one
     * @param clusterDns     the node DNS address pods use (--cluster-dns)
     * @param clientIdentity the node's client certificate now, which the CSR is made with
     */
    public NodeServingCertificate(String nodeName, String nodeIp, Path pkiDir, IssuedCertificate fallback, String clusterDns,
                                  X509Certificate clusterCa, Supplier<List<URI>> servers,
                                  Supplier<IssuedCertificate> clientIdentity, RotationTiming timing, Clock clock) {
        this.nodeName = nodeName;
        this.nodeIp = nodeIp;
        this.pkiDir = pkiDir;
        this.clusterDns = clusterDns;
        this.clusterCa = clusterCa;
        this.clientIdentity = clientIdentity;
        this.cloud = new CloudCertificates(servers, clusterCa);
        this.timing = timing;
        this.clock = clock;
        IssuedCertificate kept = kept();
        this.clusterSigned = kept != null;
        this.certificate = new RenewableCertificate(kept != null ? kept : fallback);
    }

    /** The serving certificate now; listeners hear of each new one. */
    public RenewableCertificate certificate() {
        return certificate;
    }

    /** Whether the cluster CA signed the one served now (else it is the node-local one). */
    public boolean clusterSigned() {
        return clusterSigned;
    }

    public NodeServingCertificate start() {
        schedule = new RotationSchedule(new Renewal(), clock, timing.firstBackoff(), timing.maxBackoff()).start();
        return this;
    }

    /** A cluster-signed certificate kept from before that is still good, or null. */
    private IssuedCertificate kept() {
        Path cert = pkiDir.resolve(CERT_FILE);
        Path key = pkiDir.resolve(KEY_FILE);
        if (!Files.exists(cert) || !Files.exists(key)) {
            return null;
        }
        try {
            IssuedCertificate kept = IssuedCertificate.readFrom(cert, key);
            kept.certificate().verify(clusterCa.getPublicKey());
            if (!clock.instant().isBefore(kept.certificate().getNotAfter().toInstant())) {
                LOG.info("the kept serving certificate {} expired; the node-local one serves until a new one is signed", cert);
                return null;
            }
            List<String> named = SubjectAltNames.of(kept.certificate()).ipAddresses();
            if (nodeIp != null && !named.contains(nodeIp)) {
                LOG.info("the kept serving certificate {} names {}, not the node's address {}; the node-local one serves until"
                        + " a new one is signed", cert, named, nodeIp);
                return null;
            }
            return kept;
        } catch (IOException | PkiException | GeneralSecurityException e) {
            LOG.warn("the kept serving certificate {} cannot be used ({}); asking for a new one", cert, e.getMessage());
            return null;
        }
    }

    private final class Renewal implements RotationSchedule.Renewal {
        @Override
        public String what() {
            return "serving certificate of node " + nodeName;
        }

        @Override
        public Instant due() {
            return clusterSigned ? RotationSchedule.dueAt(certificate.current().certificate()) : clock.instant();
        }

        @Override
        public void renew() throws IOException, InterruptedException {
            KeyPair keys = Keys.generateP256();
            X509Certificate issued = cloud.call(clientIdentity.get(), client -> {
                SubjectAltNames names = names(client.nodes().withName(nodeName).get(),
                        client.services().inNamespace("default").withName("kubernetes").get());
                CertificateRequest request = CertificateRequest.create(keys, "system:node:" + nodeName,
                        List.of("system:nodes"), names);
                String name = CsrRequests.name("node-serving", nodeName);
                CsrRequests.submit(client, name, SIGNER, USAGES, request);
                LOG.info("node {} asked for a serving certificate for {} with CSR {}", nodeName, names, name);
                return CsrRequests.await(client, name, timing.approvalWait());
            });
            IssuedCertificate next = new IssuedCertificate(issued, keys.getPrivate());
            next.writeTo(pkiDir.resolve(CERT_FILE), pkiDir.resolve(KEY_FILE));
            certificate.replace(next);
            clusterSigned = true; // only once it serves: its listeners built their contexts in replace
            LOG.info("node {} serves with a cluster-signed certificate valid until {}", nodeName,
                    issued.getNotAfter().toInstant());
        }
    }

    /** The node's name and InternalIPs, the API's names, the kubernetes Service's ClusterIPs and the node DNS address. */
    SubjectAltNames names(Node node, Service kubernetes) throws IOException {
        if (node == null) {
            throw new IOException("node " + nodeName + " is not registered yet, so its addresses are not known");
        }
        List<String> ips = new ArrayList<>();
        List<NodeAddress> addresses = node.getStatus() == null || node.getStatus().getAddresses() == null ? List.of()
                : node.getStatus().getAddresses();
        for (NodeAddress a : addresses) {
            if ("InternalIP".equals(a.getType())) {
                ips.add(a.getAddress());
            }
        }
        if (ips.isEmpty()) {
            throw new IOException("node " + nodeName + " has no InternalIP in its status yet");
        }
        if (nodeIp != null && !ips.contains(nodeIp)) {
            // the approver checks the request against the Node's status, which names the new address after the next update
            throw new IOException("node " + nodeName + "'s status names " + ips + ", not its address " + nodeIp + " yet");
        }
        if (kubernetes != null && kubernetes.getSpec() != null) {
            List<String> clusterIps = kubernetes.getSpec().getClusterIPs();
            if (clusterIps != null && !clusterIps.isEmpty()) {
                ips.addAll(clusterIps);
            } else if (kubernetes.getSpec().getClusterIP() != null && !"None".equals(kubernetes.getSpec().getClusterIP())) {
                ips.add(kubernetes.getSpec().getClusterIP());
            }
        }
        if (clusterDns != null) {
            ips.add(clusterDns);
        }
        List<String> dns = new ArrayList<>(List.of(nodeName));
        dns.addAll(API_NAMES);
        return new SubjectAltNames(dns, ips);
    }

    @Override
    public void close() {
        if (schedule != null) {
            schedule.close();
        }
    }
}
