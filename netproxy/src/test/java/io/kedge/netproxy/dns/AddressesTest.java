package io.kedge.netproxy.dns;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.util.NetUtil;
import org.junit.jupiter.api.Test;

class AddressesTest {
    @Test
    void reverseNamesGiveTheirAddress() {
        assertThat(Addresses.fromReverse("5.0.42.10.in-addr.arpa")).isEqualTo("10.42.0.5");
        assertThat(Addresses.fromReverse("1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.d.f.ip6.arpa"))
                .isEqualTo("fd00::1");
    }

    @Test
    void partialOrInvalidReverseNamesGiveNoAddress() {
        assertThat(Addresses.fromReverse("0.42.10.in-addr.arpa")).isNull();
        assertThat(Addresses.fromReverse("300.0.42.10.in-addr.arpa")).isNull();
        assertThat(Addresses.fromReverse("x.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.d.f.ip6.arpa")).isNull();
        assertThat(Addresses.fromReverse("example.com")).isNull();
    }

    @Test
    void dashedLabelsAreAddressesBothWays() {
        assertThat(NetUtil.bytesToIpAddress(Addresses.fromDashed("10-42-0-5"))).isEqualTo("10.42.0.5");
        assertThat(NetUtil.bytesToIpAddress(Addresses.fromDashed("fd00--5"))).isEqualTo("fd00::5");
        assertThat(Addresses.fromDashed("10-42-0")).isNull();
        assertThat(Addresses.fromDashed("db-0")).isNull();
        assertThat(Addresses.dashed("10.42.0.5")).isEqualTo("10-42-0-5");
        assertThat(Addresses.dashed("FD00:0::5")).isEqualTo("fd00--5");
    }
}
