package io.kedge.tunnel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class FlowControlTest {

    @Test
    void aSenderMaySendOnlyAsMuchAsThePeerGranted() {
        FlowControl flow = new FlowControl(1024);
        flow.peerWindow(100);
        assertThat(flow.sendable(500)).isEqualTo(100);
        flow.spend(60);
        assertThat(flow.sendable(500)).isEqualTo(40);
        flow.spend(40);
        assertThat(flow.sendable(500)).isZero();
        flow.grant(30);
        assertThat(flow.sendable(500)).isEqualTo(30);
    }

    @Test
    void spendingBeyondTheCreditIsABug() {
        FlowControl flow = new FlowControl(1024);
        flow.peerWindow(10);
        assertThatThrownBy(() -> flow.spend(11)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("credit of 10");
    }

    @Test
    void receivingMoreThanTheWindowIsAViolation() {
        FlowControl flow = new FlowControl(1024);
        assertThat(flow.received(1000)).isTrue();
        assertThat(flow.received(25)).isFalse();
    }

    @Test
    void creditReturnsInBatchesOfHalfAWindowAndReopensTheWindow() {
        FlowControl flow = new FlowControl(1000);
        assertThat(flow.received(1000)).isTrue();
        assertThat(flow.consumed(300)).isZero();
        assertThat(flow.consumed(300)).isEqualTo(600);
        assertThat(flow.received(600)).isTrue();
        assertThat(flow.received(1)).isFalse();
    }

    @Test
    void aWindowMustBePositive() {
        assertThatThrownBy(() -> new FlowControl(0)).hasMessageContaining("must be positive");
    }
}
