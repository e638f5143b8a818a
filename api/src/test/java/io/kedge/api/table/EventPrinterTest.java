package io.kedge.api.table;

import static io.kedge.api.table.Objects.NOW;
import static io.kedge.api.table.Objects.ago;
import static io.kedge.api.table.Objects.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class EventPrinterTest {
    @Test
    void putsTheNameLastAsAWideColumn() {
        TablePrinter p = TablePrinters.forResource("", "events");
        assertThat(p.columns()).extracting(ColumnDefinition::name).containsExactly("Last Seen", "Type", "Reason",
                "Object", "Subobject", "Source", "Message", "First Seen", "Count", "Name");
        assertThat(p.columns()).extracting(ColumnDefinition::priority).containsExactly(0, 0, 0, 0, 1, 1, 0, 1, 1, 1);
        assertThat(p.columns().get(9).format()).isEqualTo("name");
    }

    @Test
    void printsACoreEvent() {
        assertThat(TablePrinters.forResource("", "events").cells(yaml("""
                apiVersion: v1
                kind: Event
                metadata: {name: web-1.17f3a, namespace: shop}
                involvedObject: {kind: Pod, name: web-1, namespace: shop, fieldPath: "spec.containers{app}"}
                reason: BackOff
                message: "Back-off restarting failed container\\n"
                source: {component: kubelet, host: edge-1}
                firstTimestamp: %s
                lastTimestamp: %s
                count: 7
                type: Warning
                """.formatted(ago(Duration.ofHours(1)), ago(Duration.ofMinutes(5)))), NOW))
                .containsExactly("5m", "Warning", "BackOff", "pod/web-1", "spec.containers{app}", "kubelet, edge-1",
                        "Back-off restarting failed container", "60m", 7L, "web-1.17f3a");
    }

    @Test
    void aSingletonEventWithoutTimestampsUsesItsEventTime() {
        assertThat(TablePrinters.forResource("", "events").cells(yaml("""
                metadata: {name: e}
                involvedObject: {kind: Node}
                eventTime: "%s"
                reportingComponent: kedge-controller
                reportingInstance: server-0
                type: Normal
                """.formatted(ago(Duration.ofSeconds(30)).replace("Z", ".000000Z"))), NOW))
                .containsExactly("30s", "Normal", "", "node", "", "kedge-controller, server-0", "", "30s", 1L, "e");
    }

    @Test
    void printsAnEventsApiEventWithASeries() {
        assertThat(TablePrinters.forResource("events.k8s.io", "events").cells(yaml("""
                apiVersion: events.k8s.io/v1
                kind: Event
                metadata: {name: unit-sync.1}
                regarding: {kind: EdgeUnit, name: warehouse}
                note: unit went offline
                reason: Partitioned
                type: Warning
                eventTime: "%s"
                series: {count: 12, lastObservedTime: "%s"}
                reportingController: kedge.io/edge-unit-controller
                reportingInstance: server-1
                """.formatted(ago(Duration.ofDays(2)), ago(Duration.ofSeconds(90)))), NOW))
                .containsExactly("90s", "Warning", "Partitioned", "edgeunit/warehouse", "",
                        "kedge.io/edge-unit-controller, server-1", "unit went offline", "2d", 12L, "unit-sync.1");
    }

    @Test
    void anEmptyEventPrintsPlaceholders() {
        assertThat(TablePrinters.forResource("", "events").cells(yaml("{}"), NOW))
                .containsExactly("<unknown>", "", "", "", "", "", "", "<unknown>", 1L, "");
    }
}
