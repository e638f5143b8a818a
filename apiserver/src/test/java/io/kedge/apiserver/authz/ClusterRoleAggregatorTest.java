package io.kedge.apiserver.authz;

import static io.kedge.apiserver.authz.RbacAuthorizerTest.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kedge.api.Meta;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ClusterRoleAggregatorTest {
    @Test
    void anAggregatedRoleGetsTheRulesOfMatchingRolesInNameOrderWithoutDuplicates() {
        ObjectNode agg = yaml("""
                metadata: {name: monitoring}
                aggregationRule: {clusterRoleSelectors: [{matchLabels: {aggregate-to-monitoring: "true"}}]}
                rules: []
                """);
        ObjectNode b = yaml("""
                metadata: {name: b-pods, labels: {aggregate-to-monitoring: "true"}}
                rules: [{apiGroups: [""], resources: [pods], verbs: [get]}]
                """);
        ObjectNode a = yaml("""
                metadata: {name: a-nodes, labels: {aggregate-to-monitoring: "true"}}
                rules: [{apiGroups: [""], resources: [nodes], verbs: [get]}, {apiGroups: [""], resources: [pods], verbs: [get]}]
                """);
        ObjectNode other = yaml("""
                metadata: {name: other}
                rules: [{apiGroups: [""], resources: [secrets], verbs: [get]}]
                """);
        JsonNode rules = ClusterRoleAggregator.aggregatedRules(agg, List.of(agg, b, a, other));
        assertThat(rules).hasSize(2);
        assertThat(rules.get(0).path("resources").get(0).asText()).isEqualTo("nodes");
        assertThat(rules.get(1).path("resources").get(0).asText()).isEqualTo("pods");
    }

    @Test
    void theBootstrapRolesAggregateViewIntoEditIntoAdmin() {
        List<ObjectNode> roles = new ArrayList<>(BootstrapPolicy.clusterRoles());
        Map<String, ObjectNode> byName = roles.stream().collect(Collectors.toMap(Meta::name, r -> r));
        for (int pass = 0; pass < 3; pass++) {
            for (String name : List.of("view", "edit", "admin")) {
                byName.get(name).set("rules", ClusterRoleAggregator.aggregatedRules(byName.get(name), roles));
            }
        }
        List<PolicyRule> view = PolicyRule.ofRole(byName.get("view"));
        List<PolicyRule> edit = PolicyRule.ofRole(byName.get("edit"));
        List<PolicyRule> admin = PolicyRule.ofRole(byName.get("admin"));
        assertThat(view).isNotEmpty();
        assertThat(EscalationCheck.missing(edit, view)).isEmpty();
        assertThat(EscalationCheck.missing(admin, edit)).isEmpty();
        assertThat(EscalationCheck.missing(view, edit)).isNotEmpty();
        assertThat(admin).anyMatch(r -> r.resources().contains("rolebindings"));
        assertThat(view).noneMatch(r -> r.resources().contains("secrets"));
    }
}
