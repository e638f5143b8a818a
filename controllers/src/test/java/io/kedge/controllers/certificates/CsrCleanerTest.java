package io.kedge.controllers.certificates;

import static io.kedge.controllers.nodes.Eventually.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequest;
import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequestBuilder;
import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequestConditionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kedge.controllers.framework.ControllerContext;
import io.kedge.controllers.framework.ControllerManager;
import io.kedge.controllers.testing.ComponentClients;
import io.kedge.controllers.testing.TestServer;
import io.kedge.pki.CertificateAuthority;
import io.kedge.pki.CertificateRequest;
import io.kedge.pki.IssuedCertificate;
import io.kedge.pki.Keys;
import io.kedge.pki.SubjectAltNames;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class CsrCleanerTest {
    private static final Instant T0 = Instant.parse("2026-11-27T12:00:00Z");
    private static final String REQUEST = Base64.getEncoder().encodeToString(CertificateRequest.create(Keys.generateP256(),
            "system:node:shop-1", List.of("system:nodes"), SubjectAltNames.none()).pem().getBytes(StandardCharsets.UTF_8));

    private static CertificateSigningRequestBuilder csr(String name) {
        return new CertificateSigningRequestBuilder().withNewMetadata().withName(name).withCreationTimestamp(T0.toString())
                .endMetadata().withNewSpec().withSignerName("kubernetes.io/kube-apiserver-client-kubelet")
                .withUsages("digital signature", "client auth").withRequest(REQUEST).endSpec();
    }

    private static CertificateSigningRequest decided(String type, Instant at, String certificate) {
        return csr("decided").withNewStatus().withCertificate(certificate).addToConditions(new CertificateSigningRequestConditionBuilder()
                .withType(type).withStatus("True").withLastUpdateTime(at.toString()).withLastTransitionTime(at.toString())
                .build()).endStatus().build();
    }

    private static String issued(Duration lifetime) {
        IssuedCertificate c = CertificateAuthority.create("cleaner-test-ca").issueClient("system:node:shop-1",
                List.of("system:nodes"), lifetime);
        return Base64.getEncoder().encodeToString(c.certPem().getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aRequestNobodyDecidedOnGoesAfterADay() {
        assertThat(CsrCleaner.removal(csr("pending").build())).hasValueSatisfying(r ->
                assertThat(r.at()).isEqualTo(T0.plus(Duration.ofHours(24))));
    }

    @Test
    void aDeniedOrFailedRequestGoesAnHourAfterTheDecision() {
        Instant decided = T0.plus(Duration.ofMinutes(5));
        assertThat(CsrCleaner.removal(decided("Denied", decided, null))).hasValueSatisfying(r ->
                assertThat(r.at()).isEqualTo(decided.plus(Duration.ofHours(1))));
        assertThat(CsrCleaner.removal(decided("Failed", decided, null))).hasValueSatisfying(r ->
                assertThat(r.at()).isEqualTo(decided.plus(Duration.ofHours(1))));
    }

    @Test
    void anIssuedRequestGoesAnHourAfterApprovalOrWhenItsCertificateExpiresIfSooner() {
        Instant approved = Instant.now();
        assertThat(CsrCleaner.removal(decided("Approved", approved, issued(Duration.ofDays(365))))).hasValueSatisfying(r ->
                assertThat(r.at()).isEqualTo(approved.plus(Duration.ofHours(1))));
        assertThat(CsrCleaner.removal(decided("Approved", approved, issued(Duration.ofMinutes(10))))).hasValueSatisfying(r -> {
            assertThat(r.at()).isBefore(approved.plus(Duration.ofMinutes(11)));
            assertThat(r.why()).contains("expired");
        });
    }

    @Test
    void anApprovedRequestTheSignerHasNotIssuedYetStays() {
        assertThat(CsrCleaner.removal(decided("Approved", T0, null))).isEmpty();
    }

    @Test
    void theCleanerDeletesARequestDeniedLongAgoAndKeepsAFreshOne() throws Exception {
        try (TestServer server = TestServer.start(); KubernetesClient client = server.client()) {
            for (String name : List.of("denied-long-ago", "denied-now")) {
                client.certificates().v1().certificateSigningRequests().resource(csr(name).build()).create();
                Instant at = name.equals("denied-now") ? Instant.now() : Instant.now().minus(Duration.ofHours(2));
                client.certificates().v1().certificateSigningRequests().withName(name).deny(new CertificateSigningRequestConditionBuilder()
                        .withType("Denied").withStatus("True").withReason("Test").withLastUpdateTime(at.toString())
                        .withLastTransitionTime(at.toString()).build());
            }
            ControllerManager manager = new ControllerManager(ComponentClients.controllers(client), "kedge-controllers",
                    "csr-cleaner-test", List.of(CsrCleaner::create), ControllerContext.Options.defaults(), () -> { });
            manager.start();
            try {
                await("the CSR denied 2h ago deleted", () ->
                        client.certificates().v1().certificateSigningRequests().withName("denied-long-ago").get() == null ? true : null);
                assertThat(client.certificates().v1().certificateSigningRequests().withName("denied-now").get())
                        .as("denied a moment ago: kept for an hour").isNotNull();
            } finally {
                manager.close();
            }
        }
    }
}
