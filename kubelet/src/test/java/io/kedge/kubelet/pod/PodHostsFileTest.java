package io.kedge.kubelet.pod;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import org.junit.jupiter.api.Test;

class PodHostsFileTest {
    private static PodBuilder pod() {
        return new PodBuilder().withNewMetadata().withName("web-0").withNamespace("shop").withUid("u1").endMetadata()
                .withNewSpec().addNewContainer().withName("app").withImage("busybox").endContainer().endSpec();
    }

    @Test
    void aPodResolvesItsOwnNameToItsIpBesideLocalhost() {
        String hosts = PodHostsFile.content(pod().build(), "10.42.1.7");

        assertThat(hosts).contains("127.0.0.1\tlocalhost\n").contains("::1\tlocalhost ip6-localhost ip6-loopback\n")
                .contains("10.42.1.7\tweb-0\n");
    }

    @Test
    void aPodWithASubdomainAlsoGetsItsFullyQualifiedName() {
        Pod p = pod().editSpec().withHostname("db").withSubdomain("backend").endSpec().build();

        assertThat(PodHostsFile.content(p, "10.42.1.8")).contains("10.42.1.8\tdb.backend.shop.svc.cluster.local\tdb\n");
    }

    @Test
    void hostAliasesAreAppendedUnderTheirOwnHeading() {
        Pod p = pod().editSpec().addNewHostAlias().withIp("10.0.0.5").withHostnames("erp.shop", "erp").endHostAlias().endSpec()
                .build();

        String hosts = PodHostsFile.content(p, "10.42.1.9");
        assertThat(hosts).endsWith("\n# Entries added by HostAliases.\n10.0.0.5\terp.shop\terp\n");
    }

    @Test
    void hostNetworkPodsAndPodsWithoutAnIpKeepTheRuntimesFile() {
        assertThat(PodHostsFile.applies(pod().editSpec().withHostNetwork(true).endSpec().build(), "10.201.1.11")).isFalse();
        assertThat(PodHostsFile.applies(pod().build(), "")).isFalse();
        assertThat(PodHostsFile.applies(pod().build(), "10.42.1.7")).isTrue();
    }
}
