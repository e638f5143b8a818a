package io.kedge.apiserver.authz;

import static io.kedge.apiserver.authz.RbacAuthorizerTest.yaml;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kedge.apiserver.auth.UserInfo;
import io.kedge.apiserver.registry.WriteOptions;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class EscalationCheckTest {
    private final RbacPolicy policy = new RbacPolicy();
    private final EscalationCheck check = new EscalationCheck(
            Authorizer.chain(List.of(PrivilegedGroups.masters(), new RbacAuthorizer(policy))), policy);
    private static final WriteOptions DAVE = as("dave");

    private static WriteOptions as(String user, String... groups) {
        return new WriteOptions(false, "kubectl", "Ignore", new UserInfo(user, "", List.of(groups)));
    }

    @BeforeEach
    void daveManagesRolesAndReadsPodsInA() {
        policy.putClusterRole(yaml("""
                metadata: {name: role-manager}
                rules:
                - {apiGroups: [rbac.authorization.k8s.io], resources: [roles, rolebindings], verbs: [create, update]}
                - {apiGroups: [""], resources: [pods], verbs: [get, list]}
                """));
        policy.putRoleBinding(yaml("""
                metadata: {name: dave, namespace: a}
                roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: role-manager}
                subjects: [{kind: User, name: dave}]
                """));
        policy.putClusterRole(yaml("""
                metadata: {name: pod-deleter}
                rules: [{apiGroups: [""], resources: [pods], verbs: [delete]}]
                """));
    }

    @Test
    void aRoleWithinTheWritersOwnRulesIsAccepted() {
        assertThatCode(() -> check.admitCreate(Types.of("rbac.authorization.k8s.io", "roles"), yaml("""
                metadata: {name: r, namespace: a}
                rules: [{apiGroups: [""], resources: [pods], verbs: [get]}]
                """), DAVE)).doesNotThrowAnyException();
    }

    @Test
    void aRoleGrantingMoreIsRefusedWithUpstreamsMessage() {
        assertThatThrownBy(() -> check.admitCreate(Types.of("rbac.authorization.k8s.io", "roles"), yaml("""
                metadata: {name: r, namespace: a}
                rules: [{apiGroups: [""], resources: [pods, secrets], verbs: [get, delete]}]
                """), DAVE)).hasMessage("roles.rbac.authorization.k8s.io \"r\" is forbidden: user \"dave\" (groups=[]) is "
                + "attempting to grant RBAC permissions not currently held:\n"
                + "{APIGroups:[\"\"], Resources:[\"pods\"], Verbs:[\"delete\"]}\n"
                + "{APIGroups:[\"\"], Resources:[\"secrets\"], Verbs:[\"get\"]}\n"
                + "{APIGroups:[\"\"], Resources:[\"secrets\"], Verbs:[\"delete\"]}");
    }

    @Test
    void theEscalateVerbLiftsTheRoleCheck() {
        policy.putRole(yaml("""
                metadata: {name: escalator, namespace: a}
                rules: [{apiGroups: [rbac.authorization.k8s.io], resources: [roles], verbs: [escalate]}]
                """));
        policy.putRoleBinding(yaml("""
                metadata: {name: dave-escalates, namespace: a}
                roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: escalator}
                subjects: [{kind: User, name: dave}]
                """));
        assertThatCode(() -> check.admitCreate(Types.of("rbac.authorization.k8s.io", "roles"), yaml("""
                metadata: {name: r, namespace: a}
                rules: [{apiGroups: [""], resources: [secrets], verbs: ["*"]}]
                """), DAVE)).doesNotThrowAnyException();
    }

    @Test
    void bindingARoleNeedsItsRulesOrTheBindVerb() {
        var binding = yaml("""
                metadata: {name: b, namespace: a}
                roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: pod-deleter}
                subjects: [{kind: User, name: eve}]
                """);
        var rolebindings = Types.of("rbac.authorization.k8s.io", "rolebindings");
        assertThatThrownBy(() -> check.admitCreate(rolebindings, binding, DAVE))
                .hasMessageStartingWith("rolebindings.rbac.authorization.k8s.io \"b\" is forbidden: user \"dave\"")
                .hasMessageEndingWith("{APIGroups:[\"\"], Resources:[\"pods\"], Verbs:[\"delete\"]}");
        policy.putRole(yaml("""
                metadata: {name: binder, namespace: a}
                rules: [{apiGroups: [rbac.authorization.k8s.io], resources: [clusterroles], verbs: [bind], resourceNames: [pod-deleter]}]
                """));
        policy.putRoleBinding(yaml("""
                metadata: {name: dave-binds, namespace: a}
                roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: binder}
                subjects: [{kind: User, name: dave}]
                """));
        assertThatCode(() -> check.admitCreate(rolebindings, binding, DAVE)).doesNotThrowAnyException();
    }

    @Test
    void systemMastersAndUnrelatedTypesAreNotChecked() {
        assertThatCode(() -> check.admitCreate(Types.of("rbac.authorization.k8s.io", "clusterroles"), yaml("""
                metadata: {name: all}
                rules: [{apiGroups: ["*"], resources: ["*"], verbs: ["*"]}]
                """), as("admin", "system:masters"))).doesNotThrowAnyException();
        assertThatCode(() -> check.admitCreate(Types.of("", "configmaps"), yaml("metadata: {name: c, namespace: a}"), DAVE))
                .doesNotThrowAnyException();
    }

    @Test
    void onlyEscalatorsMayWriteAnAggregationRule() {
        assertThatThrownBy(() -> check.admitCreate(Types.of("rbac.authorization.k8s.io", "clusterroles"), yaml("""
                metadata: {name: agg}
                aggregationRule: {clusterRoleSelectors: [{matchLabels: {x: "y"}}]}
                """), DAVE)).hasMessageEndingWith("must have cluster-admin privileges to use the aggregationRule");
    }
}
