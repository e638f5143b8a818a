package io.kedge.api.table;

import static io.kedge.api.table.Objects.NOW;
import static io.kedge.api.table.Objects.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AccessPrintersTest {
    @Test
    void printsTheRoleAndTheSubjectsByKind() {
        TablePrinter p = TablePrinters.forResource("rbac.authorization.k8s.io", "rolebindings");
        assertThat(p.columns()).extracting(ColumnDefinition::name, ColumnDefinition::priority).containsExactly(
                org.assertj.core.groups.Tuple.tuple("Name", 0), org.assertj.core.groups.Tuple.tuple("Role", 0),
                org.assertj.core.groups.Tuple.tuple("Age", 0), org.assertj.core.groups.Tuple.tuple("Users", 1),
                org.assertj.core.groups.Tuple.tuple("Groups", 1), org.assertj.core.groups.Tuple.tuple("ServiceAccounts", 1));
        assertThat(p.cells(yaml("""
                metadata: {name: view-shop, namespace: shop}
                roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
                subjects:
                  - {kind: User, name: alice}
                  - {kind: User, name: bob}
                  - {kind: Group, name: auditors}
                  - {kind: ServiceAccount, name: ci, namespace: tools}
                  - {kind: Robot, name: r2}
                """), NOW)).containsExactly("view-shop", "ClusterRole/view", "<unknown>", "alice, bob", "auditors", "tools/ci");
    }

    @Test
    void clusterRoleBindingsUseTheSameColumns() {
        TablePrinter p = TablePrinters.forResource("rbac.authorization.k8s.io", "clusterrolebindings");
        assertThat(p.cells(yaml("""
                metadata: {name: nodes}
                roleRef: {kind: ClusterRole, name: "system:node"}
                subjects: [{kind: Group, name: "system:nodes"}]
                """), NOW)).containsExactly("nodes", "ClusterRole/system:node", "<unknown>", "", "system:nodes", "");
    }
}
