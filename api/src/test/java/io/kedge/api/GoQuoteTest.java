package io.kedge.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class GoQuoteTest {
    @Test
    void quotesLikeGo() {
        assertThat(GoQuote.quote("a\"b\\c")).isEqualTo("\"a\\\"b\\\\c\"");
        assertThat(GoQuote.quote("line\nnext\ttab\u0001")).isEqualTo("\"line\\nnext\\ttab\\x01\"");
        assertThat(GoQuote.quote("héllo ☃")).isEqualTo("\"héllo ☃\"");
        assertThat(GoQuote.quote("\u200b")).isEqualTo("\"\\u200b\"");
    }
}
