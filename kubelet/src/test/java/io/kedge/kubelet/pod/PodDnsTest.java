package io.kedge.kubelet.pod;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.kedge.kubelet.cri.v1.DNSConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PodDnsTest {
    @TempDir
    Path dir;

    private PodDns dns() throws Exception {
        Path resolv = dir.resolve("resolv.conf");
        Files.writeString(resolv, """
                # generated
                nameserver 10.0.0.2
                search corp.example
                nameserver 10.0.0.3
                options ndots:2 edns0
                """);
        return new PodDns(resolv);
    }

    @Test
    void podsGetTheHostsResolvConf() throws Exception {
        Pod pod = new PodBuilder().withNewSpec().endSpec().build();

        DNSConfig c = dns().forPod(pod);

        assertThat(c.getServersList()).containsExactly("10.0.0.2", "10.0.0.3");
        assertThat(c.getSearchesList()).containsExactly("corp.example");
        assertThat(c.getOptionsList()).containsExactly("ndots:2", "edns0");
    }

    @Test
    void thePodsDnsConfigIsMergedInAndOptionsOverrideByName() throws Exception {
        Pod pod = new PodBuilder().withNewSpec().withNewDnsConfig().addToNameservers("10.9.9.9").addToSearches("svc.example")
                .addNewOption().withName("ndots").withValue("5").endOption().endDnsConfig().endSpec().build();

        DNSConfig c = dns().forPod(pod);

        assertThat(c.getServersList()).containsExactly("10.0.0.2", "10.0.0.3", "10.9.9.9");
        assertThat(c.getSearchesList()).containsExactly("corp.example", "svc.example");
        assertThat(c.getOptionsList()).containsExactly("ndots:5", "edns0");
    }

    @Test
    void dnsPolicyNoneUsesOnlyThePodsDnsConfig() throws Exception {
        Pod pod = new PodBuilder().withNewSpec().withDnsPolicy("None").withNewDnsConfig().addToNameservers("1.2.3.4")
                .endDnsConfig().endSpec().build();

        DNSConfig c = dns().forPod(pod);

        assertThat(c.getServersList()).containsExactly("1.2.3.4");
        assertThat(c.getSearchesList()).isEmpty();
    }

    private PodDns nodeDns() throws Exception {
        Path resolv = dir.resolve("resolv.conf");
        Files.writeString(resolv, """
                nameserver 10.0.0.2
                search corp.example. lab.example
                options ndots:2 edns0
                """);
        return new PodDns(resolv, "169.254.20.10");
    }

    private static Pod pod(String policy, boolean hostNetwork) {
        return new PodBuilder().withNewMetadata().withName("p").withNamespace("shop").endMetadata().withNewSpec()
                .withDnsPolicy(policy).withHostNetwork(hostNetwork).endSpec().build();
    }

    @Test
    void clusterFirstPodsUseTheNodeDnsWithTheClusterSearchesBeforeTheHostsAndNdots5() throws Exception {
        DNSConfig c = nodeDns().forPod(pod("ClusterFirst", false));

        assertThat(c.getServersList()).containsExactly("169.254.20.10");
        assertThat(c.getSearchesList()).containsExactly("shop.svc.cluster.local", "svc.cluster.local", "cluster.local",
                "corp.example", "lab.example");
        assertThat(c.getOptionsList()).containsExactly("ndots:5");
    }

    @Test
    void aPodWithoutDnsPolicyIsClusterFirst() throws Exception {
        DNSConfig c = nodeDns().forPod(pod(null, false));

        assertThat(c.getServersList()).containsExactly("169.254.20.10");
    }

    @Test
    void clusterFirstOnTheHostNetworkKeepsTheHostsResolvConf() throws Exception {
        DNSConfig c = nodeDns().forPod(pod("ClusterFirst", true));

        assertThat(c.getServersList()).containsExactly("10.0.0.2");
        assertThat(c.getSearchesList()).containsExactly("corp.example", "lab.example");
        assertThat(c.getOptionsList()).containsExactly("ndots:2", "edns0");
    }

    @Test
    void clusterFirstWithHostNetUsesTheNodeDnsOnTheHostNetwork() throws Exception {
        DNSConfig c = nodeDns().forPod(pod("ClusterFirstWithHostNet", true));

        assertThat(c.getServersList()).containsExactly("169.254.20.10");
        assertThat(c.getSearchesList()).startsWith("shop.svc.cluster.local");
    }

    @Test
    void dnsPolicyDefaultKeepsTheHostsResolvConfEvenWithANodeDns() throws Exception {
        DNSConfig c = nodeDns().forPod(pod("Default", false));

        assertThat(c.getServersList()).containsExactly("10.0.0.2");
        assertThat(c.getOptionsList()).containsExactly("ndots:2", "edns0");
    }

    @Test
    void thePodsDnsConfigIsMergedIntoTheClusterConfig() throws Exception {
        Pod pod = new PodBuilder().withNewMetadata().withNamespace("shop").endMetadata().withNewSpec()
                .withNewDnsConfig().addToNameservers("10.9.9.9").addToSearches("extra.example")
                .addNewOption().withName("ndots").withValue("2").endOption().endDnsConfig().endSpec().build();

        DNSConfig c = nodeDns().forPod(pod);

        assertThat(c.getServersList()).containsExactly("169.254.20.10", "10.9.9.9");
        assertThat(c.getSearchesList()).endsWith("extra.example");
        assertThat(c.getOptionsList()).containsExactly("ndots:2");
    }

    @Test
    void dnsPolicyNoneIgnoresTheNodeDns() throws Exception {
        Pod pod = new PodBuilder().withNewSpec().withDnsPolicy("None").withNewDnsConfig().addToNameservers("1.2.3.4")
                .endDnsConfig().endSpec().build();

        DNSConfig c = nodeDns().forPod(pod);

        assertThat(c.getServersList()).containsExactly("1.2.3.4");
        assertThat(c.getSearchesList()).isEmpty();
        assertThat(c.getOptionsList()).isEmpty();
    }
}
