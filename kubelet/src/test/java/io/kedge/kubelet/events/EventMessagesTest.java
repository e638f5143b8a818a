package io.kedge.kubelet.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EventMessagesTest {
    @Test
    void pullTimingsReadAsGoPrintsDurationsTruncatedToMilliseconds() {
        assertThat(EventMessages.goDuration(Duration.ZERO)).isEqualTo("0s");
        assertThat(EventMessages.goDuration(Duration.ofNanos(523_999_999))).isEqualTo("523ms");
        assertThat(EventMessages.goDuration(Duration.ofMillis(15_981))).isEqualTo("15.981s");
        assertThat(EventMessages.goDuration(Duration.ofMillis(2_500))).isEqualTo("2.5s");
        assertThat(EventMessages.goDuration(Duration.ofSeconds(3))).isEqualTo("3s");
        assertThat(EventMessages.goDuration(Duration.ofMillis(62_500))).isEqualTo("1m2.5s");
        assertThat(EventMessages.goDuration(Duration.ofHours(1).plusSeconds(1))).isEqualTo("1h0m1s");
    }

    @Test
    void aPulledMessageNamesTheImageItsTimingsAndSize() {
        assertThat(EventMessages.pulled("busybox:1.36", Duration.ofMillis(1_200), Duration.ofMillis(1_250), 2_150_000))
                .isEqualTo("Successfully pulled image \"busybox:1.36\" in 1.2s (1.25s including waiting). Image size: 2150000 bytes.");
    }

    @Test
    void aKillingMessageSaysWhyAndWhetherTheContainerComesBack() {
        assertThat(EventMessages.killed("main", "failed liveness probe", true))
                .isEqualTo("Container main failed liveness probe, will be restarted");
        assertThat(EventMessages.killed("main", "failed startup probe", false)).isEqualTo("Container main failed startup probe");
    }

    @Test
    void eventNamesAreTheObjectsNameAndSixteenHexDigitsNeverTheSameTwice() {
        EventNames names = new EventNames(Clock.fixed(Instant.parse("2026-11-27T17:00:00Z"), ZoneOffset.UTC));
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            String name = names.next("web-0");
            assertThat(name).matches("web-0\\.[0-9a-f]{16}");
            assertThat(seen.add(name)).as("a repeated name: %s", name).isTrue();
        }
    }
}
