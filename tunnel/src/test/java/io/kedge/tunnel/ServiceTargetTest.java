package io.kedge.tunnel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ServiceTargetTest {

    @Test
    void aServiceTargetNamesNamespaceServiceAndPortAndParsesBack() {
        String target = TunnelProtocol.serviceTarget("shop", "orders", 8080);
        assertThat(target).isEqualTo("service/shop/orders/8080");
        assertThat(TunnelProtocol.parseServiceTarget(target)).isEqualTo(new ServiceTarget("shop", "orders", 8080));
        assertThat(ServiceTarget.isServiceTarget(target)).isTrue();
        assertThat(ServiceTarget.isServiceTarget(TunnelProtocol.KUBELET)).isFalse();
    }

    @Test
    void theLongestValidServiceTargetFitsInAnOpenFrame() {
        String label = "a".repeat(63);
        assertThat(TunnelProtocol.serviceTarget(label, label, 65535).getBytes().length).isLessThanOrEqualTo(255);
    }

    @Test
    void invalidNamesAndPortsAreRefusedWithWhatIsWrong() {
        assertThatThrownBy(() -> TunnelProtocol.serviceTarget("Shop", "orders", 80))
                .hasMessageContaining("\"Shop\" is not a valid namespace");
        assertThatThrownBy(() -> TunnelProtocol.serviceTarget("shop", "1orders", 80))
                .hasMessageContaining("\"1orders\" is not a valid Service name");
        assertThatThrownBy(() -> TunnelProtocol.serviceTarget("shop", "o".repeat(64), 80))
                .hasMessageContaining("at most 63 characters");
        assertThatThrownBy(() -> TunnelProtocol.serviceTarget("shop", "orders", 0))
                .hasMessageContaining("Service port 0 is out of range 1..65535");
        assertThatThrownBy(() -> TunnelProtocol.serviceTarget("shop", "orders", 65536))
                .hasMessageContaining("out of range");
    }

    @Test
    void malformedServiceTargetsAreRefusedWithWhatIsWrong() {
        assertThatThrownBy(() -> TunnelProtocol.parseServiceTarget("kubelet"))
                .hasMessageContaining("must start with \"service/\"");
        assertThatThrownBy(() -> TunnelProtocol.parseServiceTarget("service/shop/orders"))
                .hasMessageContaining("expected service/<namespace>/<name>/<port>");
        assertThatThrownBy(() -> TunnelProtocol.parseServiceTarget("service/shop/orders/80/x"))
                .hasMessageContaining("expected service/<namespace>/<name>/<port>");
        assertThatThrownBy(() -> TunnelProtocol.parseServiceTarget("service/shop/orders/http"))
                .hasMessageContaining("the port \"http\" is not a number");
        assertThatThrownBy(() -> TunnelProtocol.parseServiceTarget("service/shop/../80"))
                .hasMessageContaining("is not a valid Service name");
        assertThatThrownBy(() -> TunnelProtocol.parseServiceTarget("service/shop/orders/999999"))
                .hasMessageContaining("is not a number");
    }
}
