package io.kedge.kubelet.env;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvExpansionTest {
    private static final Map<String, String> VARS = Map.of("A", "alpha", "B", "beta");

    private static String expand(String s) {
        return EnvExpansion.expand(s, VARS::get);
    }

    @Test
    void knownReferencesAreReplacedAndUnknownOnesStayAsWritten() {
        assertThat(expand("$(A)-$(B)-$(C)")).isEqualTo("alpha-beta-$(C)");
    }

    @Test
    void aDoubleDollarIsALiteralDollarSoAnEscapedReferenceIsNeverExpanded() {
        assertThat(expand("$$(A)")).isEqualTo("$(A)");
        assertThat(expand("cost: $$5")).isEqualTo("cost: $5");
        assertThat(expand("$$$(A)")).isEqualTo("$alpha");
    }

    @Test
    void anUnclosedReferenceOrALoneDollarStaysAsWritten() {
        assertThat(expand("x $(A")).isEqualTo("x $(A");
        assertThat(expand("$A and $")).isEqualTo("$A and $");
        assertThat(expand("$()")).isEqualTo("$()");
    }

    @Test
    void nullIsTheEmptyString() {
        assertThat(EnvExpansion.expand(null, VARS::get)).isEmpty();
    }
}
