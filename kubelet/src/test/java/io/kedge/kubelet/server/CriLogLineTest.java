package io.kedge.kubelet.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class CriLogLineTest {
    @Test
    void aFullLineCarriesItsTimeStreamAndMessage() {
        CriLogLine line = CriLogLine.parse("2026-11-27T05:00:00.123456789Z stderr F boom: it failed").orElseThrow();
        assertThat(line.time()).isEqualTo(Instant.parse("2026-11-27T05:00:00.123456789Z"));
        assertThat(line.stream()).isEqualTo("stderr");
        assertThat(line.partial()).isFalse();
        assertThat(line.message()).isEqualTo("boom: it failed");
    }

    @Test
    void aPartialLineIsMarked() {
        assertThat(CriLogLine.parse("2026-11-27T05:00:00Z stdout P half").orElseThrow().partial()).isTrue();
    }

    @Test
    void anEmptyMessageIsKept() {
        assertThat(CriLogLine.parse("2026-11-27T05:00:00Z stdout F ").orElseThrow().message()).isEmpty();
    }

    @Test
    void aLineThatIsNotCriIsRejected() {
        assertThat(CriLogLine.parse("hello world")).isEmpty();
        assertThat(CriLogLine.parse("yesterday stdout F hi")).isEmpty();
        assertThat(CriLogLine.parse("")).isEmpty();
    }
}
