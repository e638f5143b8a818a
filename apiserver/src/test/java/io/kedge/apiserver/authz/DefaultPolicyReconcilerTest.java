package io.kedge.apiserver.authz;

import static io.kedge.apiserver.authz.RbacAuthorizerTest.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class DefaultPolicyReconcilerTest {
    private static final ObjectNode WANTED = yaml("""
            metadata: {name: r, labels: {kubernetes.io/bootstrapping: rbac-defaults}}
            rules:
            - {apiGroups: [""], resources: [pods], verbs: [get]}
            - {apiGroups: [""], resources: [services], verbs: [get]}
            """);

    @Test
    void missingRulesAndLabelsAreAddedAndNothingIsRemoved() {
        ObjectNode existing = yaml("""
                metadata: {name: r, annotations: {rbac.authorization.kubernetes.io/autoupdate: "true"}, labels: {team: x}}
                rules:
                - {verbs: [get], resources: [pods], apiGroups: [""]}
                - {apiGroups: [""], resources: [secrets], verbs: [get]}
                """);
        ObjectNode out = DefaultPolicyReconciler.reconciled(existing, WANTED).orElseThrow();
        assertThat(out.path("rules")).hasSize(3);
        assertThat(out.path("rules").get(2).path("resources").get(0).asText()).isEqualTo("services");
        assertThat(out.path("metadata").path("labels").path("team").asText()).isEqualTo("x");
        assertThat(out.path("metadata").path("labels").path("kubernetes.io/bootstrapping").asText()).isEqualTo("rbac-defaults");
        assertThat(DefaultPolicyReconciler.reconciled(out, WANTED)).isEmpty();
    }

    @Test
    void aRuleOrSubjectStoredInAnotherSpellingIsNotAddedAgain() {
        ObjectNode existing = yaml("""
                metadata: {name: r, annotations: {rbac.authorization.kubernetes.io/autoupdate: "true"},
                           labels: {kubernetes.io/bootstrapping: rbac-defaults}}
                rules: [{apiGroups: [""], resources: [pods, services], verbs: [get, list], resourceNames: []}]
                """);
        assertThat(DefaultPolicyReconciler.reconciled(existing, WANTED)).isEmpty();
        ObjectNode binding = yaml("""
                metadata: {name: b, annotations: {rbac.authorization.kubernetes.io/autoupdate: "true"}}
                subjects: [{kind: Group, name: system:authenticated, apiGroup: rbac.authorization.k8s.io, namespace: ""}]
                """);
        assertThat(DefaultPolicyReconciler.reconciled(binding, yaml("""
                metadata: {name: b}
                subjects: [{kind: Group, name: system:authenticated, apiGroup: rbac.authorization.k8s.io}]
                """))).isEmpty();
    }

    @Test
    void anObjectWhoseOperatorTurnedAutoupdateOffIsLeftAlone() {
        ObjectNode existing = yaml("""
                metadata: {name: r, annotations: {rbac.authorization.kubernetes.io/autoupdate: "false"}}
                rules: []
                """);
        assertThat(DefaultPolicyReconciler.reconciled(existing, WANTED)).isEmpty();
    }

    @Test
    void anAggregatedRoleGetsMissingSelectorsButKeepsTheAggregatorsRules() {
        ObjectNode wanted = BootstrapPolicy.clusterRoles().stream().filter(r -> r.path("metadata").path("name").asText()
                .equals("view")).findFirst().orElseThrow();
        ObjectNode existing = yaml("""
                metadata: {name: view, annotations: {rbac.authorization.kubernetes.io/autoupdate: "true"},
                           labels: {kubernetes.io/bootstrapping: rbac-defaults, rbac.authorization.k8s.io/aggregate-to-edit: "true"}}
                aggregationRule: {clusterRoleSelectors: [{matchLabels: {extra: "yes"}}]}
                rules: [{apiGroups: [""], resources: [pods], verbs: [get]}]
                """);
        ObjectNode out = DefaultPolicyReconciler.reconciled(existing, wanted).orElseThrow();
        assertThat(out.path("aggregationRule").path("clusterRoleSelectors")).hasSize(2);
        assertThat(out.path("rules")).hasSize(1);
    }
}
