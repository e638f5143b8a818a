package io.kedge.controllers.certificates;

import static io.kedge.controllers.nodes.Eventually.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequest;
import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequestBuilder;
import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequestCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kedge.controllers.framework.ControllerContext;
import io.kedge.controllers.framework.ControllerManager;
import io.kedge.controllers.testing.ComponentClients;
import io.kedge.controllers.testing.TestServer;
import io.kedge.pki.CertificateAuthority;
import io.kedge.pki.CertificateRequest;
import io.kedge.pki.Keys;
import io.kedge.pki.KeyPurpose;
import io.kedge.pki.PemFiles;
import io.kedge.pki.SubjectAltNames;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class CsrSigningControllerTest {
    private static TestServer server;
    private static KubernetesClient client;
    private static ControllerManager manager;
    private static final CertificateAuthority CA = CertificateAuthority.create("signing-test-ca");

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start();
        client = server.client();
        ControllerContext.Options options = ControllerContext.Options.defaults()
                .withClusterSigning(new ControllerContext.ClusterSigning(CA, Duration.ofDays(365)));
        manager = new ControllerManager(ComponentClients.controllers(client), "kedge-controllers", "csr-signing-test",
                List.of(CsrSigningController::create), options, () -> { });
        manager.start();
    }

    @AfterAll
    static void stop() {
        manager.close();
        client.close();
        server.close();
    }

    private static CertificateSigningRequest submit(String name, String signer, CertificateRequest request, Integer seconds,
                                                    String... usages) {
        return client.certificates().v1().certificateSigningRequests().resource(new CertificateSigningRequestBuilder()
                .withNewMetadata().withName(name).endMetadata()
                .withNewSpec().withSignerName(signer).withUsages(usages).withExpirationSeconds(seconds)
                .withRequest(Base64.getEncoder().encodeToString(request.pem().getBytes(StandardCharsets.UTF_8))).endSpec()
                .build()).create();
    }

    private static void approve(String name) {
        client.certificates().v1().certificateSigningRequests().withName(name).approve();
    }

    private static X509Certificate awaitCertificate(String name) {
        String pem = await("CSR " + name + " signed", () -> {
            CertificateSigningRequest csr = client.certificates().v1().certificateSigningRequests().withName(name).get();
            String c = csr.getStatus() == null ? null : csr.getStatus().getCertificate();
            return c == null || c.isEmpty() ? null : new String(Base64.getDecoder().decode(c), StandardCharsets.UTF_8);
        });
        return PemFiles.parseCertificate(pem, "CSR " + name);
    }

    private static CertificateSigningRequestCondition awaitFailure(String name) {
        return await("CSR " + name + " failed", () -> client.certificates().v1().certificateSigningRequests().withName(name).get()
                .getStatus().getConditions().stream().filter(c -> "Failed".equals(c.getType())).findFirst().orElse(null));
    }

    private static CertificateRequest request(String cn, List<String> orgs, SubjectAltNames sans) {
        return CertificateRequest.create(Keys.generateP256(), cn, orgs, sans);
    }

    @Test
    void anApprovedClientRequestIsSignedByTheClusterCaForTheDurationAsked() throws Exception {
        submit("alice", "kubernetes.io/kube-apiserver-client", request("alice", List.of("team-a"), SubjectAltNames.none()),
                3600, "digital signature", "client auth");
        submit("bob-pending", "kubernetes.io/kube-apiserver-client", request("bob", List.of(), SubjectAltNames.none()),
                null, "client auth");
        Instant approvedAt = Instant.now();
        approve("alice");

        X509Certificate cert = awaitCertificate("alice");
        assertThat(CA.issued(cert)).isTrue();
        assertThat(cert.getSubjectX500Principal().getName()).contains("CN=alice").contains("O=team-a");
        assertThat(cert.getExtendedKeyUsage()).containsExactly(KeyPurpose.CLIENT_AUTH.oid());
        assertThat(cert.getNotAfter().toInstant()).isBefore(approvedAt.plus(Duration.ofMinutes(70)))
                .isAfter(approvedAt.plus(Duration.ofMinutes(50)));
        CertificateSigningRequest pending = client.certificates().v1().certificateSigningRequests().withName("bob-pending").get();
        assertThat(pending.getStatus() == null ? null : pending.getStatus().getCertificate())
                .as("a request nobody approved stays unsigned").isNullOrEmpty();
    }

    @Test
    void aKubeletClientRequestForSomeoneOtherThanANodeFailsWithTheReason() {
        submit("not-a-node", "kubernetes.io/kube-apiserver-client-kubelet", request("alice", List.of("system:nodes"),
                SubjectAltNames.none()), null, "digital signature", "client auth");
        approve("not-a-node");
        CertificateSigningRequestCondition failed = awaitFailure("not-a-node");
        assertThat(failed.getReason()).isEqualTo("SignerValidationFailure");
        assertThat(failed.getMessage()).contains("system:node:<name>").contains("\"alice\"");
    }

    @Test
    void aKubeletServingRequestNeedsAnAddressAndGetsAServerCertificateForIt() throws Exception {
        submit("serving-bare", "kubernetes.io/kubelet-serving", request("system:node:edge-1", List.of("system:nodes"),
                SubjectAltNames.none()), null, "digital signature", "server auth");
        approve("serving-bare");
        assertThat(awaitFailure("serving-bare").getMessage()).contains("at least one DNS name or IP address");

        submit("serving", "kubernetes.io/kubelet-serving", request("system:node:edge-1", List.of("system:nodes"),
                SubjectAltNames.of(List.of("edge-1", "10.201.1.11"))), null, "digital signature", "key encipherment", "server auth");
        approve("serving");
        X509Certificate cert = awaitCertificate("serving");
        assertThat(cert.getExtendedKeyUsage()).containsExactly(KeyPurpose.SERVER_AUTH.oid());
        assertThat(SubjectAltNames.of(cert).ipAddresses()).containsExactly("10.201.1.11");
    }

    @Test
    void aRequestForAnotherSignerIsLeftToThatSigner() throws Exception {
        submit("elsewhere", "example.com/vault", request("svc", List.of(), SubjectAltNames.none()), null, "client auth");
        approve("elsewhere");
        submit("marker", "kubernetes.io/kube-apiserver-client", request("marker", List.of(), SubjectAltNames.none()), null,
                "client auth");
        approve("marker");
        awaitCertificate("marker");
        CertificateSigningRequest other = client.certificates().v1().certificateSigningRequests().withName("elsewhere").get();
        assertThat(other.getStatus().getCertificate()).isNullOrEmpty();
        assertThat(other.getStatus().getConditions()).noneMatch(c -> "Failed".equals(c.getType()));
    }
}
