package io.kedge.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class SubjectAltNamesTest {
    @Test
    void apiServerSansHoldTheDefaultsPlusEveryAddressSortedIntoDnsOrIp() {
        SubjectAltNames sans = SubjectAltNames.forApiServer(
                List.of("0.0.0.0", "10.0.0.1", "cloud.example.com", "fd00::1", "[::]", "[fd00::2]"));

        assertThat(sans.dnsNames()).containsExactly("localhost", "kubernetes", "kubernetes.default",
                "kubernetes.default.svc", "kubernetes.default.svc.cluster.local", "cloud.example.com");
        assertThat(sans.ipAddresses()).containsExactly("127.0.0.1", "10.0.0.1", "fd00:0:0:0:0:0:0:1",
                "fd00:0:0:0:0:0:0:2");
    }

    @Test
    void duplicatesAndCaseAndIpSpellingsCollapse() {
        SubjectAltNames sans = new SubjectAltNames(List.of("Host.Example", "host.example"),
                List.of("::1", "0:0:0:0:0:0:0:1"));

        assertThat(sans.dnsNames()).containsExactly("host.example");
        assertThat(sans.ipAddresses()).containsExactly("0:0:0:0:0:0:0:1");
    }

    @Test
    void coversIsASubsetCheck() {
        SubjectAltNames wide = SubjectAltNames.of(List.of("a", "b", "10.0.0.1"));

        assertThat(wide.covers(SubjectAltNames.of(List.of("b", "10.0.0.1")))).isTrue();
        assertThat(wide.covers(SubjectAltNames.of(List.of("c")))).isFalse();
        assertThat(wide.covers(SubjectAltNames.of(List.of("10.0.0.2")))).isFalse();
    }

    @Test
    void malformedEntriesAreRejectedWithTheOffendingValue() {
        assertThatThrownBy(() -> SubjectAltNames.of(List.of("fe80::1%eth0")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'fe80::1%eth0'");
        assertThatThrownBy(() -> SubjectAltNames.of(List.of("")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("empty host or address");
        assertThatThrownBy(() -> new SubjectAltNames(List.of(), List.of("300.1.1.1")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not an IP address: '300.1.1.1'");
    }
}
