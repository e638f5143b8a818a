package io.kedge.controllers.certificates;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequest;
import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequestBuilder;
import io.kedge.pki.CertificateRequest;
import io.kedge.pki.Keys;
import io.kedge.pki.SubjectAltNames;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class NodeCsrApproverTest {
    private static CertificateSigningRequest csr(String cn, String requester, List<String> groups, String... usages) {
        CertificateRequest request = CertificateRequest.create(Keys.generateP256(), cn, List.of("system:nodes"), SubjectAltNames.none());
        return new CertificateSigningRequestBuilder().withNewMetadata().withName("c").endMetadata()
                .withNewSpec().withSignerName("kubernetes.io/kube-apiserver-client-kubelet").withUsages(usages)
                .withUsername(requester).withGroups(groups)
                .withRequest(Base64.getEncoder().encodeToString(request.pem().getBytes(StandardCharsets.UTF_8))).endSpec().build();
    }

    @Test
    void aNewNodesRequestMadeWithABootstrapTokenIsApproved() {
        assertThat(NodeCsrApprover.approvable(csr("system:node:shop-1", "system:bootstrap:abcdef",
                List.of("system:bootstrappers", "system:authenticated"), "digital signature", "client auth"))).isEmpty();
    }

    @Test
    void aNodeRenewingItsOwnCertificateIsApproved() {
        assertThat(NodeCsrApprover.approvable(csr("system:node:shop-1", "system:node:shop-1",
                List.of("system:nodes", "system:authenticated"), "digital signature", "client auth"))).isEmpty();
    }

    @Test
    void oneNodeAskingForAnothersNameIsLeftForAPerson() {
        assertThat(NodeCsrApprover.approvable(csr("system:node:shop-2", "system:node:shop-1",
                List.of("system:nodes", "system:authenticated"), "digital signature", "client auth")))
                .hasValueSatisfying(why -> assertThat(why).contains("neither a bootstrap token nor system:node:shop-2"));
    }

    @Test
    void aRequestForMoreThanAClientCertificateIsLeftForAPerson() {
        assertThat(NodeCsrApprover.approvable(csr("system:node:shop-1", "system:bootstrap:abcdef",
                List.of("system:bootstrappers"), "digital signature", "client auth", "server auth")))
                .hasValueSatisfying(why -> assertThat(why).contains("does not sign the usage \"server auth\""));
    }
}
