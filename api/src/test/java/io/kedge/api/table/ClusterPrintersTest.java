package io.kedge.api.table;

import static io.kedge.api.table.Objects.NOW;
import static io.kedge.api.table.Objects.ago;
import static io.kedge.api.table.Objects.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClusterPrintersTest {
    private static List<Object> row(String group, String resource, String yaml) {
        return TablePrinters.forResource(group, resource).cells(yaml(yaml), NOW);
    }

    @Test
    void printsALeaseWithItsHolder() {
        assertThat(row("coordination.k8s.io", "leases", """
                metadata: {name: kedge-scheduler, namespace: kedge-system, creationTimestamp: %s}
                spec: {holderIdentity: server-0_8f1c, leaseDurationSeconds: 15}
                """.formatted(ago(Duration.ofDays(3))))).containsExactly("kedge-scheduler", "server-0_8f1c", "3d");
        assertThat(row("coordination.k8s.io", "leases", "{metadata: {name: free}}").get(1)).isEqualTo("");
    }

    @Test
    void printsADisruptionBudgetWithCountsOrPercentages() {
        assertThat(TablePrinters.forResource("policy", "poddisruptionbudgets").columns())
                .extracting(ColumnDefinition::name)
                .containsExactly("Name", "Min Available", "Max Unavailable", "Allowed Disruptions", "Age");
        assertThat(row("policy", "poddisruptionbudgets", """
                metadata: {name: web}
                spec: {minAvailable: 2, selector: {matchLabels: {app: web}}}
                status: {disruptionsAllowed: 1}
                """)).containsExactly("web", "2", "N/A", 1L, "<unknown>");
        assertThat(row("policy", "poddisruptionbudgets", "{spec: {maxUnavailable: 25%}}").subList(1, 3))
                .containsExactly("N/A", "25%");
    }

    @Test
    void printsACertificateSigningRequest() {
        TablePrinter p = TablePrinters.forResource("certificates.k8s.io", "certificatesigningrequests");
        assertThat(p.columns()).extracting(ColumnDefinition::name).containsExactly(
                "Name", "Age", "SignerName", "Requestor", "RequestedDuration", "Condition");
        assertThat(p.cells(yaml("""
                metadata: {name: node-csr-edge-1, creationTimestamp: %s}
                spec:
                  signerName: kubernetes.io/kube-apiserver-client-kubelet
                  username: "system:bootstrap:abcdef"
                  expirationSeconds: 86400
                status:
                  conditions: [{type: Approved, status: "True"}]
                  certificate: LS0tLS1CRUdJTi==
                """.formatted(ago(Duration.ofMinutes(3)))), NOW)).containsExactly("node-csr-edge-1", "3m",
                "kubernetes.io/kube-apiserver-client-kubelet", "system:bootstrap:abcdef", "24h", "Approved,Issued");
    }

    @Test
    void aDeniedCsrStaysDeniedAndAPendingOneHasNoDuration() {
        assertThat(row("certificates.k8s.io", "certificatesigningrequests", """
                status: {conditions: [{type: Approved}, {type: Denied}, {type: Failed}]}
                """).get(5)).isEqualTo("Denied,Failed");
        assertThat(row("certificates.k8s.io", "certificatesigningrequests", "{}").subList(2, 6))
                .containsExactly("<none>", "", "<none>", "Pending");
    }

    @Test
    void printsAPriorityClass() {
        assertThat(row("scheduling.k8s.io", "priorityclasses", """
                metadata: {name: edge-critical}
                value: 1000000
                globalDefault: false
                preemptionPolicy: Never
                """)).containsExactly("edge-critical", 1000000L, false, "<unknown>", "Never");
    }

    @Test
    void printsARuntimeClass() {
        assertThat(row("node.k8s.io", "runtimeclasses", "{metadata: {name: gvisor}, handler: runsc}"))
                .containsExactly("gvisor", "runsc", "<unknown>");
    }

    @Test
    void countsTheWebhooksOfAConfiguration() {
        assertThat(row("admissionregistration.k8s.io", "validatingwebhookconfigurations",
                "{metadata: {name: policy}, webhooks: [{name: a.example.com}, {name: b.example.com}]}"))
                .containsExactly("policy", 2L, "<unknown>");
        assertThat(row("admissionregistration.k8s.io", "mutatingwebhookconfigurations", "{metadata: {name: m}}"))
                .containsExactly("m", 0L, "<unknown>");
    }
}
