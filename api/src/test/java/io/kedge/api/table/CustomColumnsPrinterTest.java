package io.kedge.api.table;

import static io.kedge.api.table.Objects.NOW;
import static io.kedge.api.table.Objects.ago;
import static io.kedge.api.table.Objects.yaml;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class CustomColumnsPrinterTest {
    private static final JsonNode COLUMNS = yaml("""
            - {name: Ready, type: string, jsonPath: '.status.conditions[?(@.type=="Ready")].status'}
            - {name: Replicas, type: integer, jsonPath: .spec.replicas, description: Desired replicas}
            - {name: Ratio, type: number, jsonPath: .status.ratio, priority: 1}
            - {name: Paused, type: boolean, jsonPath: .spec.paused}
            - {name: Last Sync, type: date, jsonPath: .status.lastSyncTime}
            - {name: Port, type: string, jsonPath: '.spec.ports[*].port'}
            - {name: Team, type: string, jsonPath: '.metadata.labels.example\\.com/team'}
            - {name: Selector, type: string, jsonPath: .spec.selector}
            """);

    private static final CustomColumnsPrinter PRINTER = CustomColumnsPrinter.forCrdColumns(COLUMNS);

    private static JsonNode widget() {
        return yaml("""
                apiVersion: example.com/v1
                kind: Widget
                metadata:
                  name: gizmo
                  creationTimestamp: %s
                  labels: {example.com/team: blue}
                spec:
                  replicas: 3
                  paused: false
                  ports: [{port: 8080}, {port: 9090}]
                  selector: {tier: web, app: shop}
                status:
                  ratio: 0.25
                  lastSyncTime: %s
                  conditions:
                    - {type: Synced, status: "False"}
                    - {type: Ready, status: "True"}
                """.formatted(ago(Duration.ofDays(3)), ago(Duration.ofMinutes(5))));
    }

    @Test
    void definesTheNameColumnThenTheDeclaredColumns() {
        List<ColumnDefinition> columns = PRINTER.columns();
        assertThat(columns).extracting(ColumnDefinition::name)
                .containsExactly("Name", "Ready", "Replicas", "Ratio", "Paused", "Last Sync", "Port", "Team", "Selector");
        assertThat(columns.get(0).format()).isEqualTo("name");
        assertThat(columns.get(2).type()).isEqualTo("integer");
        assertThat(columns.get(2).description()).isEqualTo("Desired replicas");
        assertThat(columns.get(3).priority()).isEqualTo(1);
        assertThat(columns.get(5).type()).isEqualTo("date");
    }

    @Test
    void declaredColumnsGetNoAgeColumnAdded() {
        assertThat(PRINTER.columns()).extracting(ColumnDefinition::name).doesNotContain("Age");
    }

    @Test
    void fillsEachColumnFromItsPath() {
        assertThat(PRINTER.cells(widget(), NOW))
                .containsExactly("gizmo", "True", 3L, 0.25, false, "5m", "8080", "blue", "{\"app\":\"shop\",\"tier\":\"web\"}");
    }

    @Test
    void missingValuesBecomeNullCells() {
        JsonNode bare = yaml("{metadata: {name: bare}}");
        assertThat(PRINTER.cells(bare, NOW)).containsExactly("bare", null, null, null, null, null, null, null, null);
    }

    @Test
    void valuesOfTheWrongTypeBecomeNullCells() {
        JsonNode odd = yaml("""
                metadata: {name: odd}
                spec: {replicas: three, paused: "no", ports: 5}
                status: {ratio: high, lastSyncTime: 12, conditions: {type: Ready}}
                """);
        assertThat(PRINTER.cells(odd, NOW)).containsExactly("odd", null, null, null, null, null, null, null, null);
    }

    @Test
    void explicitNullsBecomeNullCells() {
        JsonNode nulls = yaml("{metadata: {name: n}, spec: {replicas: null, selector: null}}");
        assertThat(PRINTER.cells(nulls, NOW).subList(2, 3)).containsOnlyNulls();
        assertThat(PRINTER.cells(nulls, NOW).get(8)).isNull();
    }

    @Test
    void integerColumnsTruncateFractions() {
        CustomColumnsPrinter p = CustomColumnsPrinter.forCrdColumns(
                yaml("[{name: N, type: integer, jsonPath: .spec.n}]"));
        assertThat(p.cells(yaml("{spec: {n: 2.9}}"), NOW).get(1)).isEqualTo(2L);
    }

    @Test
    void stringColumnsWriteNumbersAndBooleansAsKubectlDoes() {
        CustomColumnsPrinter p = CustomColumnsPrinter.forCrdColumns(yaml("""
                - {name: Big, type: string, jsonPath: .spec.big}
                - {name: Small, type: string, jsonPath: .spec.small}
                - {name: Flag, type: string, jsonPath: .spec.flag}
                - {name: Count, type: string, jsonPath: .spec.count}
                - {name: List, type: string, jsonPath: .spec.list}
                """));
        JsonNode obj = Objects.json("{\"spec\":{\"big\":1500000.0,\"small\":0.5,\"flag\":true,\"count\":42,\"list\":[1,\"a\"]}}");
        assertThat(p.cells(obj, NOW)).containsExactly("", "1.5e+06", "0.5", "true", "42", "[1,\"a\"]");
    }

    @Test
    void unparsableDatesReadInvalidAndEmptyDatesUnknown() {
        CustomColumnsPrinter p = CustomColumnsPrinter.forCrdColumns(
                yaml("[{name: When, type: date, jsonPath: .status.when}]"));
        assertThat(p.cells(yaml("{status: {when: yesterday}}"), NOW).get(1)).isEqualTo("<invalid>");
        assertThat(p.cells(yaml("{status: {when: ''}}"), NOW).get(1)).isEqualTo("<unknown>");
    }

    @Test
    void indexBeyondTheArrayLeavesTheCellNull() {
        CustomColumnsPrinter p = CustomColumnsPrinter.forCrdColumns(
                yaml("[{name: Third, type: integer, jsonPath: '.spec.ports[2].port'}]"));
        assertThat(p.cells(widget(), NOW).get(1)).isNull();
    }

    @Test
    void aVersionWithoutColumnsIsServedWithAnAgeColumn() {
        CustomColumnsPrinter p = CustomColumnsPrinter.forCrdColumns(null);
        assertThat(p.columns()).extracting(ColumnDefinition::name, ColumnDefinition::type)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("Name", "string"),
                        org.assertj.core.groups.Tuple.tuple("Age", "date"));
        assertThat(p.cells(widget(), NOW)).containsExactly("gizmo", "3d");
        assertThat(CustomColumnsPrinter.forCrdColumns(yaml("[]")).columns()).hasSize(2);
    }

    @Test
    void picksTheColumnsOfTheRequestedCrdVersion() {
        JsonNode crd = yaml("""
                metadata: {name: widgets.example.com}
                spec:
                  versions:
                    - name: v1alpha1
                    - name: v1
                      additionalPrinterColumns:
                        - {name: Replicas, type: integer, jsonPath: .spec.replicas}
                """);
        assertThat(CustomColumnsPrinter.forCrdVersion(crd, "v1").columns())
                .extracting(ColumnDefinition::name).containsExactly("Name", "Replicas");
        assertThat(CustomColumnsPrinter.forCrdVersion(crd, "v1alpha1").columns())
                .extracting(ColumnDefinition::name).containsExactly("Name", "Age");
        assertThatThrownBy(() -> CustomColumnsPrinter.forCrdVersion(crd, "v2"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("CustomResourceDefinition \"widgets.example.com\" has no version \"v2\"");
    }

    @Test
    void acceptsTheV1beta1SpellingOfJsonPath() {
        CustomColumnsPrinter p = CustomColumnsPrinter.forCrdColumns(
                yaml("[{name: Replicas, type: integer, JSONPath: .spec.replicas}]"));
        assertThat(p.cells(widget(), NOW).get(1)).isEqualTo(3L);
    }

    @Test
    void rejectsAMalformedPathNamingTheColumn() {
        assertThatThrownBy(() -> CustomColumnsPrinter.forCrdColumns(
                        yaml("[{name: Broken, type: string, jsonPath: '.spec.ports['}]")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("printer column \"Broken\": invalid JSONPath \".spec.ports[\"");
    }

    @Test
    void rejectsAnUnknownColumnType() {
        assertThatThrownBy(() -> CustomColumnsPrinter.forCrdColumns(
                        yaml("[{name: Size, type: quantity, jsonPath: .spec.size}]")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("table column \"Size\" has type \"quantity\"");
    }

    @Test
    void rejectsAColumnWithoutAPath() {
        assertThatThrownBy(() -> CustomColumnsPrinter.forCrdColumns(yaml("[{name: Size, type: string}]")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("printer column \"Size\" needs a jsonPath");
    }

    @Test
    void rejectsColumnsThatAreNotAnArray() {
        assertThatThrownBy(() -> CustomColumnsPrinter.forCrdColumns(yaml("{name: Size}")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("additionalPrinterColumns must be an array, found object");
    }
}
