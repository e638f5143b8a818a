package io.kedge.api.table;

import static io.kedge.api.table.Objects.NOW;
import static io.kedge.api.table.Objects.yaml;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.kedge.api.Json;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class TablePrintersTest {
    /** Every field of the wrong JSON type, to prove printers only ever read defensively. */
    private static final JsonNode MISTYPED = yaml("""
            metadata: {name: [x], labels: [a], creationTimestamp: 12, ownerReferences: {a: b}, deletionTimestamp: soon}
            spec: [1, 2]
            status: not-an-object
            data: 3
            subsets: {a: 1}
            involvedObject: [1]
            regarding: 7
            series: true
            subjects: x
            webhooks: 1
            ports: {port: 80}
            endpoints: [1, [2]]
            """);

    static Stream<String> printedResources() {
        return TablePrinters.resourcesWithPrinters().stream().sorted();
    }

    private static TablePrinter printer(String groupResource) {
        int slash = groupResource.indexOf('/');
        return TablePrinters.forResource(groupResource.substring(0, slash), groupResource.substring(slash + 1));
    }

    @ParameterizedTest
    @MethodSource("printedResources")
    void everyPrinterHasExactlyOneNameColumn(String groupResource) {
        List<ColumnDefinition> columns = printer(groupResource).columns();
        assertThat(columns).filteredOn(c -> c.format().equals("name")).singleElement()
                .extracting(ColumnDefinition::name).isEqualTo("Name");
    }

    @ParameterizedTest
    @MethodSource("printedResources")
    void everyPrinterFillsEveryColumnOfAnEmptyObject(String groupResource) {
        TablePrinter p = printer(groupResource);
        assertThat(p.cells(yaml("{}"), NOW)).hasSize(p.columns().size());
    }

    @ParameterizedTest
    @MethodSource("printedResources")
    void everyPrinterToleratesMistypedFields(String groupResource) {
        TablePrinter p = printer(groupResource);
        List<Object> cells = p.cells(MISTYPED, NOW);
        assertThat(cells).hasSize(p.columns().size());
        assertThat(Json.string(Json.MAPPER.valueToTree(cells))).startsWith("[");
    }

    @ParameterizedTest
    @MethodSource("printedResources")
    void everyPrinterProducesJsonSerializableCells(String groupResource) {
        List<Object> cells = printer(groupResource).cells(yaml("{metadata: {name: x, creationTimestamp: '2025-06-01T11:00:00Z'}}"), NOW);
        assertThat(cells).allMatch(c -> c == null || c instanceof String || c instanceof Long || c instanceof Boolean
                || c instanceof Double);
    }

    @Test
    void theFirstColumnIsTheNameExceptForEvents() {
        printedResources().filter(r -> !r.endsWith("/events")).forEach(r ->
                assertThat(printer(r).columns().get(0)).as(r).isEqualTo(ColumnDefinition.nameColumn()));
        assertThat(TablePrinters.forResource("", "events").columns().get(0).name()).isEqualTo("Last Seen");
    }

    @Test
    void resourcesWithoutAPrinterGetNameAndCreatedAt() {
        for (String[] gr : new String[][] {
                {"rbac.authorization.k8s.io", "roles"}, {"rbac.authorization.k8s.io", "clusterroles"},
                {"apiextensions.k8s.io", "customresourcedefinitions"}, {"example.com", "widgets"}}) {
            TablePrinter p = TablePrinters.forResource(gr[0], gr[1]);
            assertThat(p).isSameAs(TablePrinters.defaultPrinter());
            assertThat(TablePrinters.find(gr[0], gr[1])).isEmpty();
        }
        TablePrinter p = TablePrinters.defaultPrinter();
        assertThat(p.columns()).extracting(ColumnDefinition::name, ColumnDefinition::type, ColumnDefinition::format)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("Name", "string", "name"),
                        org.assertj.core.groups.Tuple.tuple("Created At", "date", ""));
    }

    @Test
    void theDefaultPrinterWritesTheCreationTimeInUtcToTheSecond() {
        TablePrinter p = TablePrinters.defaultPrinter();
        assertThat(p.cells(yaml("{metadata: {name: admin, creationTimestamp: '2025-05-30T09:15:27.123+02:00'}}"), NOW))
                .containsExactly("admin", "2025-05-30T07:15:27Z");
        assertThat(p.cells(yaml("{metadata: {name: admin}}"), NOW)).containsExactly("admin", "0001-01-01T00:00:00Z");
    }

    @Test
    void theCoreGroupIsTheEmptyString() {
        assertThat(TablePrinters.find("", "pods")).isPresent();
        assertThat(TablePrinters.find("core", "pods")).isEmpty();
        assertThatThrownBy(() -> TablePrinters.forResource(null, "pods"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("group must not be null; the core group is \"\"");
        assertThatThrownBy(() -> TablePrinters.forResource("", ""))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("plural resource name");
    }

    @Test
    void printingANullObjectIsRejectedClearly() {
        assertThatThrownBy(() -> TablePrinters.forResource("", "pods").cells(null, NOW))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cannot print a table row for a null object");
    }
}
