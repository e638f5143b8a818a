package io.kedge.kubelet.server;

import io.kedge.pki.CertificateAuthority;
import io.kedge.pki.IssuedCertificate;
import io.kedge.pki.ServingCertificates;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The node-local serving certificate: signed by a node-local CA, as an upstream kubelet without
 * serving-certificate bootstrap does. It serves until the cluster signs one
 * ({@link io.kedge.kubelet.certs.NodeServingCertificate}), or for good when the node has no
 * certificate of its own to ask with; the cloud reaches the kubelet only through the node's
 * authenticated tunnel.
 */
public final class KubeletServingIdentity {
    private KubeletServingIdentity() {}

    public static IssuedCertificate loadOrIssue(Path pkiDir, String nodeName, String nodeIp) throws IOException {
        CertificateAuthority nodeCa = CertificateAuthority.loadOrCreate(pkiDir.resolve("node-ca"));
        List<String> ips = new ArrayList<>(List.of("127.0.0.1"));
        if (nodeIp != null && !ips.contains(nodeIp)) {
            ips.add(nodeIp);
        }
        return ServingCertificates.loadOrIssue(pkiDir.resolve("kubelet"), nodeCa, List.of(nodeName, "localhost"), ips);
    }
}
