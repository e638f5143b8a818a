package io.kedge.kubelet.certs;

import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequest;
import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequestBuilder;
import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequestCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kedge.pki.CertificateRequest;
import io.kedge.pki.PemFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/** Asking the cluster for a certificate: a CertificateSigningRequest, then waiting until it is signed or refused. */
public final class CsrRequests {
    private CsrRequests() {}

    /** A name unique per node and second, {@code PREFIX-NODE-TIME}, as a person approving it by hand sees it. */
    public static String name(String prefix, String nodeName) {
        return prefix + "-" + nodeName + "-" + Long.toString(Instant.now().getEpochSecond(), 36);
    }

    /** Creates the CSR; errors are fabric8's, so that the caller can tell a refused credential from others. */
    public static void submit(KubernetesClient client, String name, String signer, List<String> usages,
                              CertificateRequest request) {
        client.certificates().v1().certificateSigningRequests().resource(new CertificateSigningRequestBuilder()
                .withNewMetadata().withName(name).endMetadata()
                .withNewSpec().withSignerName(signer).withUsages(usages)
                .withRequest(Base64.getEncoder().encodeToString(request.pem().getBytes(StandardCharsets.UTF_8)))
                .endSpec().build()).create();
    }

    /** Waits for the signed certificate; a denied or failed request, or none within {@code wait}, is an IOException saying so. */
    public static X509Certificate await(KubernetesClient client, String name, Duration wait) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (System.nanoTime() < deadline) {
            CertificateSigningRequest csr = client.certificates().v1().certificateSigningRequests().withName(name).get();
            if (csr != null && csr.getStatus() != null) {
                for (CertificateSigningRequestCondition c : csr.getStatus().getConditions() == null
                        ? List.<CertificateSigningRequestCondition>of() : csr.getStatus().getConditions()) {
                    if ("True".equals(c.getStatus()) && ("Denied".equals(c.getType()) || "Failed".equals(c.getType()))) {
                        throw new IOException("the node's certificate request " + name + " was "
                                + c.getType().toLowerCase(Locale.ROOT) + ": " + c.getMessage());
                    }
                }
                String cert = csr.getStatus().getCertificate();
                if (cert != null && !cert.isEmpty()) {
                    return PemFiles.parseCertificate(new String(Base64.getDecoder().decode(cert), StandardCharsets.UTF_8),
                            "CSR " + name);
                }
            }
            Thread.sleep(500);
        }
        throw new IOException("the node's certificate request " + name + " was not signed within " + wait.toSeconds()
                + " s; approve it with `kubectl certificate approve " + name + "`, or check that the server runs its controllers");
    }
}
