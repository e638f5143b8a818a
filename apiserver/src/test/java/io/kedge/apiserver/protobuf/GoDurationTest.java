package io.kedge.apiserver.protobuf;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GoDurationTest {

    @ParameterizedTest
    @CsvSource({
            "0, 0s",
            "1, 1ns",
            "999, 999ns",
            "1500, 1.5µs",
            "1000000, 1ms",
            "2500000, 2.5ms",
            "1000000000, 1s",
            "1500000000, 1.5s",
            "90000000000, 1m30s",
            "3600000000000, 1h0m0s",
            "3661001000000, 1h1m1.001s",
            "-5000000000, -5s",
            "-9223372036854775808, -2562047h47m16.854775808s",
    })
    void formatsNanosecondsAsGoPrintsDurations(long nanos, String expected) {
        assertThat(GoDuration.format(nanos)).isEqualTo(expected);
    }
}
