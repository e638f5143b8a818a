package io.kedge.api.table;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class GoTextTest {
    @ParameterizedTest(name = "{0} is written {1}")
    @CsvSource({
        "0.5, 0.5",
        "1.0, 1",
        "123456.5, 123456.5",
        "1000000.0, 1e+06",
        "1500000.0, 1.5e+06",
        "0.0001, 0.0001",
        "0.00001, 1e-05",
        "-2.25, -2.25",
        "1.0E21, 1e+21",
    })
    void writesFloatsAsGoDoes(double value, String expected) {
        assertThat(GoText.goFloat(value)).isEqualTo(expected);
    }

    @Test
    void writesObjectsAsCompactJsonWithSortedKeys() {
        assertThat(GoText.of(Objects.json("{\"b\":{\"y\":1,\"x\":[true,null]},\"a\":\"s\"}")))
                .isEqualTo("{\"a\":\"s\",\"b\":{\"x\":[true,null],\"y\":1}}");
    }
}
