package io.kedge.api.schema;

import static io.kedge.api.schema.SchemaFixtures.object;
import static io.kedge.api.schema.SchemaFixtures.schema;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.regex.PatternSyntaxException;
import org.junit.jupiter.api.Test;

class GoRegexTest {
    @Test
    void dollarDoesNotMatchBeforeATrailingNewline() {
        GoRegex re = GoRegex.compile("^[a-z]+$");

        assertThat(re.find("abc")).isTrue();
        assertThat(re.find("abc\n")).isFalse();
        assertThat(GoRegex.compile("(?m)^[a-z]+$").find("abc\ndef")).isTrue();
        assertThat(GoRegex.compile("^a.b$").find("a\rb")).isTrue();
        assertThat(GoRegex.compile("(?i)^straße$").find("STRASSE")).isFalse();
        assertThat(GoRegex.compile("(?i)^é$").find("É")).isTrue();
    }

    @Test
    void readsRe2OnlySpellings() {
        assertThat(GoRegex.compile("^(?P<major>\\d+)\\.\\d+$").find("1.2")).isTrue();
        assertThat(GoRegex.compile("^[[:alpha:]]+$").find("abc")).isTrue();
        assertThat(GoRegex.compile("^[[:^digit:]]+$").find("a1")).isFalse();
        assertThat(GoRegex.compile("^[a$]+$").find("$a")).isTrue();
        assertThat(GoRegex.compile("\\Q$\\E").find("costs $5")).isTrue();
    }

    @Test
    void readsLiteralsRe2AcceptsAndJavaWouldNot() {
        assertThat(GoRegex.compile("^[[a]+$").find("a[a")).isTrue();
        assertThat(GoRegex.compile("^[a&&b]+$").find("&")).isTrue();
        assertThat(GoRegex.compile("^{foo}$").find("{foo}")).isTrue();
        assertThat(GoRegex.compile("^[]a]+$").find("]a")).isTrue();
        assertThat(GoRegex.compile("^\\101\\0$").find("A\0")).isTrue();
        assertThat(GoRegex.compile("^\\p{Greek}+$").find("αβγ")).isTrue();
        assertThat(GoRegex.compile("^a+?b{2}$").find("aabb")).isTrue();
    }

    @Test
    void refusesSyntaxGoRefuses() {
        for (String javaOnly : List.of("a(?=b)", "(?<!a)b", "(?>a)", "(a)\\1", "a++", "a{2}+", "a?+")) {
            assertThatThrownBy(() -> GoRegex.compile(javaOnly)).as(javaOnly).isInstanceOf(PatternSyntaxException.class);
        }
    }

    @Test
    void catastrophicBacktrackingBecomesAnErrorInsteadOfHanging() {
        StructuralSchema s = schema("type: object\nproperties: {v: {type: string, pattern: '(.*a){12}x'}}");

        assertThat(s.validate(object("v: " + "a".repeat(40))))
                .extracting(SchemaError::message).singleElement().asString()
                .contains("could not be matched against '(.*a){12}x' within the evaluation budget");
    }
}
