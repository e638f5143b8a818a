package io.kedge.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class PodEndpointAddressTest {
    @Test
    void hostAndPortAreParsedIpv6InBrackets() {
        InetSocketAddress v4 = PodEndpoint.parse("169.254.20.10:10268");
        assertThat(v4.getAddress().getHostAddress()).isEqualTo("169.254.20.10");
        assertThat(v4.getPort()).isEqualTo(10268);
        assertThat(PodEndpoint.parse("[::1]:443").getAddress().getHostAddress()).isEqualTo("0:0:0:0:0:0:0:1");
    }

    @Test
    void anAddressWithoutAUsablePortIsRefusedWithTheExpectedForm() {
        assertThatThrownBy(() -> PodEndpoint.parse("169.254.20.10")).hasMessageContaining("is not HOST:PORT");
        assertThatThrownBy(() -> PodEndpoint.parse("169.254.20.10:https")).hasMessageContaining("the port is not a number");
        assertThatThrownBy(() -> PodEndpoint.parse("169.254.20.10:70000")).hasMessageContaining("is not 1 to 65535");
    }
}
