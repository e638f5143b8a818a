package io.kedge.api.table;

import static io.kedge.api.table.Objects.NOW;
import static io.kedge.api.table.Objects.ago;
import static io.kedge.api.table.Objects.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class WorkloadPrintersTest {
    private static final String TEMPLATE = """
              template:
                metadata: {labels: {app: web}}
                spec:
                  nodeSelector: {kedge.io/edge: "true"}
                  containers: [{name: web, image: "nginx:1.27"}, {name: log, image: "busybox:1.36"}]
            """;

    private static List<Object> row(String resource, String yaml) {
        return TablePrinters.forResource("apps", resource).cells(yaml(yaml), NOW);
    }

    @Test
    void printsADeployment() {
        TablePrinter p = TablePrinters.forResource("apps", "deployments");
        assertThat(p.columns()).extracting(ColumnDefinition::name).containsExactly(
                "Name", "Ready", "Up-to-date", "Available", "Age", "Containers", "Images", "Selector");
        assertThat(row("deployments", """
                metadata: {name: web, creationTimestamp: %s}
                spec:
                  replicas: 3
                  selector:
                    matchLabels: {app: web}
                    matchExpressions: [{key: tier, operator: In, values: [front, edge]}]
                %s
                status: {replicas: 3, updatedReplicas: 3, readyReplicas: 2, availableReplicas: 2}
                """.formatted(ago(Duration.ofMinutes(90)), TEMPLATE)))
                .containsExactly("web", "2/3", 3L, 2L, "90m", "web,log", "nginx:1.27,busybox:1.36",
                        "app=web,tier in (edge,front)");
    }

    @Test
    void aDeploymentWithoutReplicasWantsOne() {
        assertThat(row("deployments", "{metadata: {name: d}}").subList(1, 4)).containsExactly("0/1", 0L, 0L);
    }

    @Test
    void aDeploymentWithAnInvalidSelectorSaysSo() {
        assertThat(row("deployments", "{spec: {selector: {matchExpressions: [{key: a, operator: Near}]}}}").get(7))
                .isEqualTo("<invalid>");
    }

    @Test
    void printsAReplicaSet() {
        assertThat(row("replicasets", """
                metadata: {name: web-5d9c}
                spec:
                  replicas: 2
                  selector: {matchLabels: {app: web, pod-template-hash: 5d9c}}
                %s
                status: {replicas: 2, readyReplicas: 1}
                """.formatted(TEMPLATE)))
                .containsExactly("web-5d9c", 2L, 2L, 1L, "<unknown>", "web,log", "nginx:1.27,busybox:1.36",
                        "app=web,pod-template-hash=5d9c");
    }

    @Test
    void printsAStatefulSet() {
        assertThat(row("statefulsets", """
                metadata: {name: db}
                spec:
                  replicas: 3
                %s
                status: {readyReplicas: 1}
                """.formatted(TEMPLATE))).containsExactly("db", "1/3", "<unknown>", "web,log", "nginx:1.27,busybox:1.36");
    }

    @Test
    void printsADaemonSet() {
        assertThat(row("daemonsets", """
                metadata: {name: netproxy}
                spec:
                  selector: {matchLabels: {app: netproxy}}
                %s
                status: {desiredNumberScheduled: 5, currentNumberScheduled: 5, numberReady: 4,
                         updatedNumberScheduled: 5, numberAvailable: 4}
                """.formatted(TEMPLATE))).containsExactly("netproxy", 5L, 5L, 4L, 5L, 4L, "kedge.io/edge=true",
                "<unknown>", "web,log", "nginx:1.27,busybox:1.36", "app=netproxy");
    }

    @Test
    void printsAControllerRevisionWithItsController() {
        assertThat(row("controllerrevisions", """
                metadata:
                  name: netproxy-7b9f
                  ownerReferences:
                    - {apiVersion: v1, kind: ConfigMap, name: other}
                    - {apiVersion: apps/v1, kind: DaemonSet, name: netproxy, controller: true}
                revision: 4
                """)).containsExactly("netproxy-7b9f", "daemonset.apps/netproxy", 4L, "<unknown>");
        assertThat(row("controllerrevisions", "{metadata: {name: r}}").get(1)).isEqualTo("<none>");
    }

    @Test
    void printsAReplicationControllerWithAMapSelector() {
        assertThat(TablePrinters.forResource("", "replicationcontrollers").cells(yaml("""
                metadata: {name: legacy}
                spec: {replicas: 2, selector: {app: legacy}}
                """), NOW)).containsExactly("legacy", 2L, 0L, 0L, "<unknown>", "", "", "app=legacy");
    }

    @Test
    void printsAPodTemplateWithItsLabels() {
        assertThat(TablePrinters.forResource("", "podtemplates").cells(yaml("""
                metadata: {name: tpl}
                template:
                  metadata: {labels: {app: web}}
                  spec: {containers: [{name: web, image: "nginx:1.27"}]}
                """), NOW)).containsExactly("tpl", "web", "nginx:1.27", "app=web");
    }
}
