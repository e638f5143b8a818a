package io.kedge.kubelet.server;

import io.kedge.pki.CertificateAuthority;
import io.kedge.pki.IssuedCertificate;
import io.kedge.pki.ServingCertificates;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The kubelet API's serving certificate. Until EdgeHub bootstraps a cluster-signed one, the node
 * signs its own with a node-local CA, as an upstream kubelet without serving-certificate
 * bootstrap does; the cloud reaches the kubelet only through the node's authenticated tunnel.
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
