package io.kedge.api.table;

import static io.kedge.api.table.Objects.NOW;
import static io.kedge.api.table.Objects.ago;
import static io.kedge.api.table.Objects.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class NodePrinterTest {
    private static final TablePrinter PRINTER = TablePrinters.forResource("", "nodes");

    private static List<Object> row(String yaml) {
        return PRINTER.cells(yaml(yaml), NOW);
    }

    @Test
    void definesTheNodeColumns() {
        assertThat(PRINTER.columns()).extracting(ColumnDefinition::name).containsExactly("Name", "Status", "Roles", "Age",
                "Version", "Internal-IP", "External-IP", "OS-Image", "Kernel-Version", "Container-Runtime");
        assertThat(PRINTER.columns()).extracting(ColumnDefinition::priority).containsExactly(0, 0, 0, 0, 0, 1, 1, 1, 1, 1);
    }

    @Test
    void printsAReadyNode() {
        assertThat(row("""
                metadata:
                  name: edge-1
                  creationTimestamp: %s
                  labels:
                    node-role.kubernetes.io/worker: ""
                    node-role.kubernetes.io/edge: ""
                    kedge.io/unit: warehouse
                spec: {}
                status:
                  conditions:
                    - {type: MemoryPressure, status: "False"}
                    - {type: Ready, status: "True"}
                  addresses:
                    - {type: Hostname, address: edge-1}
                    - {type: InternalIP, address: 192.168.10.11}
                    - {type: ExternalIP, address: 198.51.100.7}
                  nodeInfo:
                    kubeletVersion: v1.35.0-kedge
                    osImage: Debian GNU/Linux 12 (bookworm)
                    kernelVersion: 6.1.0-28-amd64
                    containerRuntimeVersion: containerd://1.6.20
                """.formatted(ago(Duration.ofDays(40)))))
                .containsExactly("edge-1", "Ready", "edge,worker", "40d", "v1.35.0-kedge", "192.168.10.11", "198.51.100.7",
                        "Debian GNU/Linux 12 (bookworm)", "6.1.0-28-amd64", "containerd://1.6.20");
    }

    @Test
    void showsACutOffEdgeNodeAsAutonomousUntilItsAutonomyEnds() {
        assertThat(row("""
                status: {conditions: [{type: Ready, status: Unknown}, {type: EdgeAutonomy, status: "True"}]}
                """).get(1)).isEqualTo("NotReady,Autonomous");
        assertThat(row("""
                status: {conditions: [{type: Ready, status: Unknown}, {type: EdgeAutonomy, status: "False"}]}
                """).get(1)).isEqualTo("NotReady");
    }

    @Test
    void showsACordonedNodeThatIsNotReady() {
        assertThat(row("""
                spec: {unschedulable: true}
                status: {conditions: [{type: Ready, status: Unknown}]}
                """).get(1)).isEqualTo("NotReady,SchedulingDisabled");
    }

    @Test
    void showsUnknownWithoutAReadyCondition() {
        assertThat(row("{status: {conditions: [{type: DiskPressure, status: \"False\"}]}}").get(1)).isEqualTo("Unknown");
    }

    @Test
    void readsTheLegacyRoleLabelAndIgnoresABarePrefix() {
        assertThat(row("""
                metadata:
                  labels: {kubernetes.io/role: master, node-role.kubernetes.io/: "", node-role.kubernetes.io/control-plane: ""}
                """).get(2)).isEqualTo("control-plane,master");
    }

    @Test
    void anEmptyNodePrintsPlaceholders() {
        assertThat(row("{}")).containsExactly("", "Unknown", "<none>", "<unknown>", "", "<none>", "<none>",
                "<unknown>", "<unknown>", "<unknown>");
    }
}
