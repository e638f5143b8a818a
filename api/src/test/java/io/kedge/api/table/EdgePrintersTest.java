package io.kedge.api.table;

import static io.kedge.api.table.Objects.NOW;
import static io.kedge.api.table.Objects.ago;
import static io.kedge.api.table.Objects.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class EdgePrintersTest {
    @Test
    void printsAnEdgeUnit() {
        TablePrinter p = TablePrinters.forResource("edge.kedge.io", "edgeunits");
        assertThat(p.columns()).extracting(ColumnDefinition::name).containsExactly("Name", "Type", "Nodes", "Ready", "Age");
        assertThat(p.cells(yaml("""
                apiVersion: edge.kedge.io/v1alpha1
                kind: EdgeUnit
                metadata: {name: warehouse-7, creationTimestamp: %s}
                spec: {type: Edge, autonomy: 72h}
                status:
                  nodes: 4
                  readyNodes: 3
                  conditions: [{type: Ready, status: "False"}]
                """.formatted(ago(Duration.ofDays(9)))), NOW)).containsExactly("warehouse-7", "Edge", 4L, 3L, "9d");
    }

    @Test
    void countsNodeListsAsWellAsNumbers() {
        assertThat(TablePrinters.forResource("edge.kedge.io", "edgeunits").cells(yaml("""
                metadata: {name: pop-1}
                status: {nodes: [a, b], readyNodes: [a]}
                """), NOW)).containsExactly("pop-1", "<none>", 2L, 1L, "<unknown>");
    }

    @Test
    void printsAUnitDeploymentWithItsUnitsAndTheirReadyAndDesiredReplicas() {
        TablePrinter p = TablePrinters.forResource("edge.kedge.io", "unitdeployments");
        assertThat(p.columns()).extracting(ColumnDefinition::name).containsExactly("Name", "Units", "Ready", "Desired", "Age");
        assertThat(p.cells(yaml("""
                metadata: {name: pos-terminal, creationTimestamp: %s}
                spec:
                  units: [warehouse-7, warehouse-8, pop-1]
                status:
                  readyUnits: 1
                  units:
                  - {name: warehouse-7, replicas: 2, readyReplicas: 2}
                  - {name: warehouse-8, replicas: 3, readyReplicas: 1}
                  - {name: pop-1, replicas: 1}
                """.formatted(ago(Duration.ofHours(2)))), NOW)).containsExactly("pos-terminal", 3L, 3L, 6L, "120m");
        assertThat(p.cells(yaml("{metadata: {name: new}}"), NOW)).containsExactly("new", 0L, 0L, 0L, "<unknown>");
    }
}
