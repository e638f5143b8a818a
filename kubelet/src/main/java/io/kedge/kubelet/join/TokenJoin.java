package io.kedge.kubelet.join;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.kedge.kubelet.certs.CsrRequests;
import io.kedge.pki.CaCertHash;
import io.kedge.pki.CertificateRequest;
import io.kedge.pki.IssuedCertificate;
import io.kedge.pki.Keys;
import io.kedge.pki.Kubeconfig;
import io.kedge.pki.SubjectAltNames;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code kedge agent --token ID.SECRET --ca-cert-hash sha256:...}: joins a node as kubeadm does. It
 * pins the cluster CA by its hash, asks for a {@code system:node:NAME} client certificate with a CSR
 * made with the bootstrap token, waits for the server to approve and sign it, and keeps the result
 * as the node's kubeconfig in its data dir. A node that has joined before uses that and skips all this.
 */
public final class TokenJoin {
    private static final Logger LOG = LoggerFactory.getLogger(TokenJoin.class);
    private static final Pattern TOKEN = Pattern.compile("[a-z0-9]{6}\\.[a-z0-9]{16}");
    static final String KUBECONFIG = "kubeconfig";
    public static final String SIGNER = "kubernetes.io/kube-apiserver-client-kubelet";

    private TokenJoin() {}

    /** The kubeconfig a join left in {@code dataDir}, if the node has joined. */
    public static Path kubeconfigIn(Path dataDir) {
        return dataDir.resolve(KUBECONFIG);
    }

    /** @return the node's kubeconfig, written to {@link #kubeconfigIn} */
    public static Path join(URI server, String token, CaCertHash pin, String nodeName, Path dataDir, Duration wait)
            throws IOException, InterruptedException {
        if (token == null || !TOKEN.matcher(token).matches()) {
            throw new IllegalArgumentException("--token must look like abcdef.0123456789abcdef (what `kedge token create` printed)");
        }
        X509Certificate ca = PinnedCa.fetch(server, pin);
        LOG.info("joining {} as node {}: the server's CA matches {}", server, nodeName, pin);
        KeyPair keys = Keys.generateP256();
        CertificateRequest request = CertificateRequest.create(keys, "system:node:" + nodeName, List.of("system:nodes"),
                SubjectAltNames.none());
        Config config = Config.fromKubeconfig(Kubeconfig.withToken(server.toString(), ca, token).toYaml());
        X509Certificate issued;
        try (KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build()) {
            String name = CsrRequests.name("node-csr", nodeName);
            try {
                CsrRequests.submit(client, name, SIGNER, List.of("digital signature", "client auth"), request);
            } catch (KubernetesClientException e) {
                throw new IOException(e.getCode() == 401
                        ? "the server refused the bootstrap token (401): it is wrong or has expired; create a new one with `kedge token create`"
                        : "the server refused the node's certificate request: " + e.getMessage(), e);
            }
            issued = CsrRequests.await(client, name, wait);
        }
        IssuedCertificate credentials = new IssuedCertificate(issued, keys.getPrivate());
        Files.createDirectories(dataDir);
        Path kubeconfig = kubeconfigIn(dataDir);
        Kubeconfig.withClientCertificate(server.toString(), ca, credentials).write(kubeconfig);
        LOG.info("node {} joined: its certificate is valid until {}; credentials in {}", nodeName,
                issued.getNotAfter().toInstant(), kubeconfig);
        return kubeconfig;
    }
}
