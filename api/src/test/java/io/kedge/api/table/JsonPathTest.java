package io.kedge.api.table;

import static io.kedge.api.table.Objects.yaml;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonPathTest {
    private static final JsonNode DOC = yaml("""
            metadata:
              name: web
              labels:
                app.kubernetes.io/name: shop
                tier: front
            spec:
              ports:
                - {name: http, port: 80}
                - {name: https, port: 443}
                - {name: metrics, port: 9090}
              empty: null
            status:
              conditions:
                - {type: Ready, status: "True", ready: true}
                - {type: Synced, status: "False"}
            """);

    private static List<String> texts(String path) {
        return JsonPath.compile(path).find(DOC).stream().map(JsonNode::asText).toList();
    }

    @Test
    void followsDottedKeys() {
        assertThat(texts(".metadata.name")).containsExactly("web");
    }

    @Test
    void acceptsBracesAndARootSign() {
        assertThat(texts("{.metadata.name}")).containsExactly("web");
        assertThat(texts("$.metadata.name")).containsExactly("web");
    }

    @Test
    void readsKeysWithEscapedDots() {
        assertThat(texts(".metadata.labels.app\\.kubernetes\\.io/name")).containsExactly("shop");
    }

    @Test
    void readsBracketedKeys() {
        assertThat(texts(".metadata.labels['app.kubernetes.io/name']")).containsExactly("shop");
        assertThat(texts(".metadata[\"labels\"].tier")).containsExactly("front");
    }

    @Test
    void indexesArraysFromEitherEnd() {
        assertThat(texts(".spec.ports[0].port")).containsExactly("80");
        assertThat(texts(".spec.ports[-1].name")).containsExactly("metrics");
    }

    @Test
    void slicesArrays() {
        assertThat(texts(".spec.ports[1:3].port")).containsExactly("443", "9090");
        assertThat(texts(".spec.ports[::2].port")).containsExactly("80", "9090");
    }

    @Test
    void wildcardsReachEveryElement() {
        assertThat(texts(".spec.ports[*].name")).containsExactly("http", "https", "metrics");
        assertThat(texts(".metadata.labels.*")).containsExactly("shop", "front");
    }

    @Test
    void filtersByEquality() {
        assertThat(texts(".status.conditions[?(@.type==\"Ready\")].status")).containsExactly("True");
        assertThat(texts(".status.conditions[?(@.type!='Ready')].type")).containsExactly("Synced");
    }

    @Test
    void filtersByNumericComparison() {
        assertThat(texts(".spec.ports[?(@.port > 100)].name")).containsExactly("https", "metrics");
        assertThat(texts(".spec.ports[?(@.port<=443)].name")).containsExactly("http", "https");
    }

    @Test
    void filtersByExistenceAndBooleans() {
        assertThat(texts(".status.conditions[?(@.ready)].type")).containsExactly("Ready");
        assertThat(texts(".status.conditions[?(@.ready==true)].type")).containsExactly("Ready");
    }

    @Test
    void descendsRecursively() {
        assertThat(texts("..port")).containsExactly("80", "443", "9090");
    }

    @Test
    void findsNothingForMissingKeys() {
        assertThat(texts(".status.missing.deeper")).isEmpty();
        assertThat(texts(".status.conditions[?(@.type==\"Nope\")].status")).isEmpty();
    }

    @Test
    void includesAnExplicitNull() {
        assertThat(JsonPath.compile(".spec.empty").find(DOC)).singleElement().matches(JsonNode::isNull);
    }

    @Test
    void reportsIndexesOutOfBounds() {
        assertThatThrownBy(() -> JsonPath.compile(".spec.ports[3]").find(DOC))
                .isInstanceOf(JsonPath.EvaluationException.class)
                .hasMessageContaining("index 3, length 3");
    }

    @Test
    void reportsFiltersOnSomethingOtherThanAnArray() {
        assertThatThrownBy(() -> JsonPath.compile(".metadata.name[?(@.x)]").find(DOC))
                .isInstanceOf(JsonPath.EvaluationException.class)
                .hasMessageContaining("cannot filter a string");
    }

    @Test
    void reportsComparisonsOfDifferentTypes() {
        assertThatThrownBy(() -> JsonPath.compile(".spec.ports[?(@.port==\"80\")]").find(DOC))
                .isInstanceOf(JsonPath.EvaluationException.class)
                .hasMessageContaining("cannot compare a number with a string");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "  ", ".a[", ".a[?(@.x==)]", ".a[1,2]", ".a[x]", ".a..", ".a[?(x==1)]", ".a b"})
    void rejectsMalformedPaths(String path) {
        assertThatThrownBy(() -> JsonPath.compile(path))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(path.isBlank() ? "must not be empty" : "invalid JSONPath \"" + path + "\"");
    }
}
