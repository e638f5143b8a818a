package io.kedge.api.selector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LabelSelectorTest {
    private static final Map<String, String> PROD_WEB = Map.of("env", "prod", "tier", "web", "app.kubernetes.io/name", "shop");

    @ParameterizedTest(name = "\"{0}\" matches env=prod,tier=web: {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "env=prod                  | true",
        "env==prod                 | true",
        "env=qa                    | false",
        "env!=qa                   | true",
        "env!=prod                 | false",
        "missing!=x                | true",
        "env in (qa,prod)          | true",
        "env in (qa)               | false",
        "missing in (qa)           | false",
        "env notin (qa,dev)        | true",
        "env notin (prod)          | false",
        "missing notin (prod)      | true",
        "tier                      | true",
        "missing                   | false",
        "!missing                  | true",
        "!tier                     | false",
        "env=prod,tier=web         | true",
        "env=prod,tier=db          | false",
        "app.kubernetes.io/name=shop | true",
        "tier=                     | false",
        "''                        | true",
    })
    void eachOperatorMatchesAsKubernetesDefinesIt(String selector, boolean matches) {
        String text = selector.equals("''") ? "" : selector;
        assertThat(LabelSelector.parse(text).matches(PROD_WEB)).isEqualTo(matches);
    }

    @Test
    void emptyValueMatchesAnEmptyLabel() {
        assertThat(LabelSelector.parse("tier=").matches(Map.of("tier", ""))).isTrue();
        assertThat(LabelSelector.parse("tier in ()").matches(Map.of("tier", ""))).isTrue();
    }

    @Test
    void toleratesWhitespaceAnywhereBetweenTokens() {
        LabelSelector spaced = LabelSelector.parse("  env  =  prod ,  tier in ( web , db ) , ! legacy , x  notin(a)");
        assertThat(spaced).isEqualTo(LabelSelector.parse("env=prod,tier in (db,web),!legacy,x notin (a)"));
    }

    @Test
    void rendersACanonicalFormThatParsesBack() {
        LabelSelector selector = LabelSelector.parse("tier in (web, db, web),env==prod,!legacy,app,x notin (b,a),n!=1");

        assertThat(selector.toString()).isEqualTo("app,env=prod,!legacy,n!=1,tier in (db,web),x notin (a,b)");
        assertThat(LabelSelector.parse(selector.toString())).isEqualTo(selector);
    }

    @Test
    void exposesItsRequirements() {
        assertThat(LabelSelector.parse("env in (prod),!x").requirements()).containsExactly(
                new LabelRequirement("env", LabelOperator.IN, List.of("prod")),
                new LabelRequirement("x", LabelOperator.DOES_NOT_EXIST, List.of()));
    }

    @Test
    void emptySelectorMatchesEverything() {
        assertThat(LabelSelector.parse("").isEverything()).isTrue();
        assertThat(LabelSelector.parse(null).matches(null)).isTrue();
        assertThat(LabelSelector.parse("   ").matches(PROD_WEB)).isTrue();
        assertThat(LabelSelector.everything().toString()).isEmpty();
    }

    @Test
    void integerComparisonsMatchOnlyIntegerLabels() {
        assertThat(LabelSelector.parse("gen>3").matches(Map.of("gen", "4"))).isTrue();
        assertThat(LabelSelector.parse("gen>3").matches(Map.of("gen", "3"))).isFalse();
        assertThat(LabelSelector.parse("gen<3").matches(Map.of("gen", "2"))).isTrue();
        assertThat(LabelSelector.parse("gen<3").matches(Map.of("gen", "two"))).isFalse();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "env in (a                | expected ',' or ')' in the list of values, found the end of the selector",
        "env in a                 | expected '(' to start the list of values, found \"a\" at character 8",
        "env = a b                | expected ',' or the end of the selector, found \"b\" at character 9",
        "env prod                 | expected an operator (=, ==, !=, in, notin) or ',' after the key \"env\", found \"prod\"",
        "=prod                    | expected a label key, found \"=\" at character 1",
        "env=prod,                | expected a label key, found the end of the selector",
        "env=(prod)               | expected a label value, found \"(\"",
        "Env_=x                   | invalid label key \"Env_\": the name part must consist of alphanumeric characters",
        "Example.com/app=x        | invalid label key \"Example.com/app\": the prefix \"Example.com\" must be a DNS subdomain",
        "/app=x                   | the prefix before '/' must not be empty",
        "env=-prod                | invalid label value \"-prod\"",
        "env in (a b)             | expected ',' or ')' in the list of values, found \"b\"",
        "gen>x                    | expected an integer after '>' or '<', found \"x\"",
    })
    void badSyntaxSaysWhatAndWhere(String selector, String message) {
        assertThatThrownBy(() -> LabelSelector.parse(selector))
                .isInstanceOf(SelectorException.class)
                .hasMessageStartingWith("unable to parse label selector \"" + selector + "\": ")
                .hasMessageContaining(message);
    }

    @Test
    void namesAndValuesLongerThan63CharactersAreRejected() {
        String tooLong = "a".repeat(64);
        assertThatThrownBy(() -> LabelSelector.parse(tooLong + "=x")).hasMessageContaining("no more than 63 characters");
        assertThatThrownBy(() -> LabelSelector.parse("k=" + tooLong)).hasMessageContaining("no more than 63 characters");
    }

    @Test
    void namesAndValuesOf63CharactersAreAccepted() {
        String name = "a".repeat(63);
        assertThat(LabelSelector.parse(name + "=" + name).matches(Map.of(name, name))).isTrue();
    }

    @Test
    void selectorErrorsBecomeBadRequest() {
        SelectorException e = new SelectorException("x");
        assertThat(e.toApiException().code()).isEqualTo(400);
        assertThat(e.toApiException().reason()).isEqualTo("BadRequest");
    }

    @Test
    void mapFormSelectsByEquality() {
        LabelSelector selector = LabelSelector.fromMap(Map.of("tier", "web", "env", "prod"));

        assertThat(selector.toString()).isEqualTo("env=prod,tier=web");
        assertThat(selector.matches(PROD_WEB)).isTrue();
        assertThat(selector.matches(Map.of("tier", "web"))).isFalse();
    }
}
