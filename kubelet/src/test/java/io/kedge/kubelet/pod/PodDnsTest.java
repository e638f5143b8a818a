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
}
