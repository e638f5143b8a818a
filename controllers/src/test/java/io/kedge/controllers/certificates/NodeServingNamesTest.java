package io.kedge.controllers.certificates;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequest;
import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequestBuilder;
import io.kedge.pki.CertificateRequest;
import io.kedge.pki.Keys;
import io.kedge.pki.SubjectAltNames;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class NodeServingNamesTest {
    private static final Node SHOP_1 = new NodeBuilder().withNewMetadata().withName("shop-1").endMetadata().withNewStatus()
            .addNewAddress().withType("InternalIP").withAddress("192.168.7.11").endAddress()
            .addNewAddress().withType("Hostname").withAddress("shop-1").endAddress().endStatus().build();
    private static final Service KUBERNETES = new ServiceBuilder().withNewMetadata().withName("kubernetes").withNamespace("default")
            .endMetadata().withNewSpec().withClusterIP("10.43.0.1").withClusterIPs("10.43.0.1").endSpec().build();
    private static final List<String> NODE = List.of("system:nodes", "system:authenticated");
    private static final List<String> USAGES = List.of("digital signature", "key encipherment", "server auth");

    private static CertificateSigningRequest csr(String cn, String requester, List<String> groups, List<String> usages,
                                                 List<String> dns, List<String> ips) {
        CertificateRequest request = CertificateRequest.create(Keys.generateP256(), cn, List.of("system:nodes"),
                new SubjectAltNames(dns, ips));
        return new CertificateSigningRequestBuilder().withNewMetadata().withName("s").endMetadata()
                .withNewSpec().withSignerName("kubernetes.io/kubelet-serving").withUsages(usages)
                .withUsername(requester).withGroups(groups)
                .withRequest(Base64.getEncoder().encodeToString(request.pem().getBytes(StandardCharsets.UTF_8))).endSpec().build();
    }

    private static List<String> wellFormedDns(String node) {
        List<String> dns = new ArrayList<>(List.of(node));
        dns.addAll(NodeServingNames.API_NAMES);
        return dns;
    }

    @Test
    void aNodesRequestForItsNameAddressesTheKubernetesServiceAndTheNodeDnsIsApproved() {
        assertThat(NodeServingNames.approvable(csr("system:node:shop-1", "system:node:shop-1", NODE, USAGES,
                wellFormedDns("shop-1"), List.of("192.168.7.11", "10.43.0.1", "169.254.20.10")), SHOP_1, KUBERNETES)).isEmpty();
    }

    @Test
    void anAddressThatIsNotTheNodesIsLeftForAPerson() {
        assertThat(NodeServingNames.approvable(csr("system:node:shop-1", "system:node:shop-1", NODE, USAGES,
                wellFormedDns("shop-1"), List.of("192.168.7.11", "8.8.8.8")), SHOP_1, KUBERNETES))
                .hasValueSatisfying(why -> assertThat(why).contains("8.8.8.8"));
    }

    @Test
    void aForeignDnsNameIsLeftForAPerson() {
        List<String> dns = wellFormedDns("shop-1");
        dns.add("bank.example.com");
        assertThat(NodeServingNames.approvable(csr("system:node:shop-1", "system:node:shop-1", NODE, USAGES, dns,
                List.of("192.168.7.11")), SHOP_1, KUBERNETES))
                .hasValueSatisfying(why -> assertThat(why).contains("bank.example.com"));
    }

    @Test
    void aNodeAskingForAnotherNodesNameIsLeftForAPerson() {
        assertThat(NodeServingNames.approvable(csr("system:node:shop-2", "system:node:shop-1", NODE, USAGES,
                wellFormedDns("shop-2"), List.of("192.168.7.11")), SHOP_1, KUBERNETES))
                .hasValueSatisfying(why -> assertThat(why).contains("not by system:node:shop-2 itself"));
        assertThat(NodeServingNames.approvable(csr("system:node:shop-1", "system:node:shop-1", NODE, USAGES,
                List.of("shop-1", "shop-2"), List.of("192.168.7.11")), SHOP_1, KUBERNETES))
                .hasValueSatisfying(why -> assertThat(why).contains("shop-2"));
    }

    @Test
    void aRequestMadeWithABootstrapTokenIsLeftForAPerson() {
        assertThat(NodeServingNames.approvable(csr("system:node:shop-1", "system:bootstrap:abcdef",
                List.of("system:bootstrappers", "system:authenticated"), USAGES, wellFormedDns("shop-1"),
                List.of("192.168.7.11")), SHOP_1, KUBERNETES))
                .hasValueSatisfying(why -> assertThat(why).contains("requested by system:bootstrap:abcdef"));
    }

    @Test
    void aClientUsageOrAMissingNodeIsLeftForAPerson() {
        assertThat(NodeServingNames.approvable(csr("system:node:shop-1", "system:node:shop-1", NODE,
                List.of("digital signature", "server auth", "client auth"), wellFormedDns("shop-1"), List.of("192.168.7.11")),
                SHOP_1, KUBERNETES)).hasValueSatisfying(why -> assertThat(why).contains("\"client auth\""));
        assertThat(NodeServingNames.approvable(csr("system:node:shop-9", "system:node:shop-9", NODE, USAGES,
                wellFormedDns("shop-9"), List.of("192.168.7.11")), null, KUBERNETES))
                .hasValueSatisfying(why -> assertThat(why).contains("node shop-9 does not exist"));
    }

    @Test
    void anEmailSubjectAltNameIsLeftForAPerson() throws Exception {
        java.security.KeyPair keys = Keys.generateP256();
        org.bouncycastle.asn1.x509.ExtensionsGenerator extensions = new org.bouncycastle.asn1.x509.ExtensionsGenerator();
        extensions.addExtension(org.bouncycastle.asn1.x509.Extension.subjectAlternativeName, false,
                new org.bouncycastle.asn1.x509.GeneralNames(new org.bouncycastle.asn1.x509.GeneralName[] {
                        new org.bouncycastle.asn1.x509.GeneralName(org.bouncycastle.asn1.x509.GeneralName.dNSName, "shop-1"),
                        new org.bouncycastle.asn1.x509.GeneralName(org.bouncycastle.asn1.x509.GeneralName.rfc822Name, "ops@example.com")}));
        byte[] der = new org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder(
                new org.bouncycastle.asn1.x500.X500Name("CN=system:node:shop-1,O=system:nodes"), keys.getPublic())
                .addAttribute(org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, extensions.generate())
                .build(new org.bouncycastle.operator.jcajce.JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate()))
                .getEncoded();
        CertificateSigningRequest csr = new CertificateSigningRequestBuilder().withNewMetadata().withName("e").endMetadata()
                .withNewSpec().withSignerName("kubernetes.io/kubelet-serving").withUsages(USAGES)
                .withUsername("system:node:shop-1").withGroups(NODE)
                .withRequest(Base64.getEncoder().encodeToString(der)).endSpec().build();

        assertThat(NodeServingNames.approvable(csr, SHOP_1, KUBERNETES))
                .hasValueSatisfying(why -> assertThat(why).contains("subjectAltName of type"));
    }
}
