package io.kedge.store;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class KeyBytesTest {
    @Test
    void prefixEndIncrementsTheLastByteThatCanBeIncremented() {
        assertThat(KeyBytes.prefixEnd("/a/b/".getBytes(UTF_8))).isEqualTo("/a/b0".getBytes(UTF_8));
        assertThat(KeyBytes.prefixEnd(new byte[] {'a', (byte) 0xFF})).isEqualTo(new byte[] {'b'});
    }

    @Test
    void prefixEndOfEmptyOrAllFfPrefixIsUnbounded() {
        assertThat(KeyBytes.prefixEnd(new byte[0])).isNull();
        assertThat(KeyBytes.prefixEnd(new byte[] {(byte) 0xFF, (byte) 0xFF})).isNull();
    }

    @Test
    void rangeStartIsJustPastStartAfterUnlessThatIsBeforeThePrefix() {
        byte[] prefix = "/p/".getBytes(UTF_8);
        assertThat(KeyBytes.rangeStart(prefix, null)).isEqualTo(prefix);
        assertThat(KeyBytes.rangeStart(prefix, "/p/3")).isEqualTo("/p/3\0".getBytes(UTF_8));
        assertThat(KeyBytes.rangeStart(prefix, "/a")).isEqualTo(prefix);
    }
}
