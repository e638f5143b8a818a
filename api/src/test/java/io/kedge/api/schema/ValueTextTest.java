package io.kedge.api.schema;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.NullNode;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class ValueTextTest {
    @Test
    void printsNumbersLikeGoFloats() {
        assertThat(ValueText.number(new BigDecimal("1"))).isEqualTo("1");
        assertThat(ValueText.number(new BigDecimal("0.5"))).isEqualTo("0.5");
        assertThat(ValueText.number(new BigDecimal("100000"))).isEqualTo("100000");
        assertThat(ValueText.number(new BigDecimal("1000000"))).isEqualTo("1e+06");
        assertThat(ValueText.number(new BigDecimal("1234567"))).isEqualTo("1.234567e+06");
        assertThat(ValueText.number(new BigDecimal("0.0001"))).isEqualTo("0.0001");
        assertThat(ValueText.number(new BigDecimal("-0.00001"))).isEqualTo("-1e-05");
    }

    @Test
    void printsNullAsQuotedNullAndContainersAsJson() {
        assertThat(ValueText.of(NullNode.getInstance())).isEqualTo("\"null\"");
        assertThat(ValueText.of(DoubleNode.valueOf(2.0))).isEqualTo("2");
        assertThat(ValueText.of(SchemaFixtures.yaml("{a: [1, x]}"))).isEqualTo("{\"a\":[1,\"x\"]}");
    }
}
