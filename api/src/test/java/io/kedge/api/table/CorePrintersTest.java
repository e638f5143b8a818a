package io.kedge.api.table;

import static io.kedge.api.table.Objects.NOW;
import static io.kedge.api.table.Objects.ago;
import static io.kedge.api.table.Objects.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class CorePrintersTest {
    private static List<Object> row(String resource, String yaml) {
        return TablePrinters.forResource("", resource).cells(yaml(yaml), NOW);
    }

    private static List<String> columnNames(String resource) {
        return TablePrinters.forResource("", resource).columns().stream().map(ColumnDefinition::name).toList();
    }

    @Test
    void printsNamespacesWithTheirPhase() {
        assertThat(columnNames("namespaces")).containsExactly("Name", "Status", "Age");
        String created = ago(Duration.ofDays(100));
        assertThat(row("namespaces", "{metadata: {name: shop, creationTimestamp: %s}, status: {phase: Active}}"
                .formatted(created))).containsExactly("shop", "Active", "100d");
        assertThat(row("namespaces", "{metadata: {name: old}, status: {phase: Terminating}}").get(1)).isEqualTo("Terminating");
        assertThat(row("namespaces", "{metadata: {name: new}}").get(1)).isEqualTo("Active");
    }

    @Test
    void countsConfigMapKeysIncludingBinaryData() {
        assertThat(columnNames("configmaps")).containsExactly("Name", "Data", "Age");
        assertThat(row("configmaps", """
                metadata: {name: kube-root-ca.crt, creationTimestamp: %s}
                data: {ca.crt: "-----BEGIN CERTIFICATE-----", extra: x}
                binaryData: {blob: AAEC}
                """.formatted(ago(Duration.ofSeconds(45))))).containsExactly("kube-root-ca.crt", 3L, "45s");
    }

    @Test
    void printsSecretsWithTypeAndKeyCount() {
        assertThat(columnNames("secrets")).containsExactly("Name", "Type", "Data", "Age");
        assertThat(row("secrets", """
                metadata: {name: web-tls}
                type: kubernetes.io/tls
                data: {tls.crt: Y2VydA==, tls.key: a2V5}
                """)).containsExactly("web-tls", "kubernetes.io/tls", 2L, "<unknown>");
        assertThat(row("secrets", "{metadata: {name: plain}}")).containsExactly("plain", "Opaque", 0L, "<unknown>");
    }

    @Test
    void printsServiceAccountsWithNameAndAgeOnly() {
        assertThat(columnNames("serviceaccounts")).containsExactly("Name", "Age");
        assertThat(row("serviceaccounts", "{metadata: {name: default, creationTimestamp: %s}, secrets: [{name: x}]}"
                .formatted(ago(Duration.ofHours(30))))).containsExactly("default", "30h");
    }
}
