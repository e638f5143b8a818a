package io.kedge.api.table;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class HumanDurationTest {
    @ParameterizedTest(name = "{0} reads as {1}")
    @CsvSource({
        "PT0S, 0s",
        "PT5S, 5s",
        "PT119S, 119s",
        "PT2M, 2m",
        "PT5M10S, 5m10s",
        "PT9M59S, 9m59s",
        "PT10M, 10m",
        "PT10M59S, 10m",
        "PT2H59M, 179m",
        "PT3H, 3h",
        "PT3H20M, 3h20m",
        "PT7H59M59S, 7h59m",
        "PT8H, 8h",
        "PT47H59M, 47h",
        "PT48H, 2d",
        "PT51H, 2d3h",
        "PT191H, 7d23h",
        "PT192H, 8d",
        "P729D, 729d",
        "P730D, 2y",
        "P760D, 2y30d",
        "P2920D, 8y",
        "P3750D, 10y",
    })
    void formatsWithAtMostTwoUnits(String iso, String expected) {
        assertThat(HumanDuration.format(Duration.parse(iso))).isEqualTo(expected);
    }

    @Test
    void toleratesAClockUpToOneSecondAhead() {
        assertThat(HumanDuration.format(Duration.ofMillis(-1500))).isEqualTo("0s");
        assertThat(HumanDuration.format(Duration.ofSeconds(-1))).isEqualTo("0s");
    }

    @Test
    void rejectsTimesFurtherInTheFuture() {
        assertThat(HumanDuration.format(Duration.ofSeconds(-2))).isEqualTo("<invalid>");
        assertThat(HumanDuration.format(Duration.ofDays(-3))).isEqualTo("<invalid>");
    }

    @Test
    void measuresSinceAnInstant() {
        Instant now = Instant.parse("2025-01-01T00:00:00Z");
        assertThat(HumanDuration.since(now.minusSeconds(3 * 3600 + 20 * 60 + 59), now)).isEqualTo("3h20m");
    }
}
