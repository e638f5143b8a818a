package io.kedge.apiserver.authz;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kedge.api.Json;
import io.kedge.apiserver.auth.UserInfo;
import java.util.List;
import org.junit.jupiter.api.Test;

class RbacAuthorizerTest {
    private final RbacPolicy policy = new RbacPolicy();
    private final RbacAuthorizer rbac = new RbacAuthorizer(policy);

    static ObjectNode yaml(String text) {
        return (ObjectNode) Json.parseYamlDocuments(text.getBytes()).get(0);
    }

    private static Attributes get(UserInfo u, String resource, String ns) {
        return Attributes.resource(u, "get", "", resource, "", ns, "x");
    }

    @Test
    void aRoleBindingGrantsItsRoleOnlyInItsNamespace() {
        policy.putRole(yaml("""
                metadata: {name: reader, namespace: a}
                rules: [{apiGroups: [""], resources: [pods], verbs: [get]}]
                """));
        policy.putRoleBinding(yaml("""
                metadata: {name: alice-reads, namespace: a}
                roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: reader}
                subjects: [{kind: User, name: alice}]
                """));
        UserInfo alice = new UserInfo("alice", "", List.of("system:authenticated"));
        Decision d = rbac.authorize(get(alice, "pods", "a"));
        assertThat(d.allowed()).isTrue();
        assertThat(d.reason()).isEqualTo("RBAC: allowed by RoleBinding \"alice-reads\" in namespace \"a\" of Role \"reader\" to User \"alice\"");
        assertThat(rbac.authorize(get(alice, "pods", "b")).kind()).isEqualTo(Decision.Kind.NO_OPINION);
        assertThat(rbac.authorize(get(alice, "pods", "")).allowed()).isFalse();
        assertThat(rbac.authorize(get(new UserInfo("bob", "", List.of()), "pods", "a")).allowed()).isFalse();
    }

    @Test
    void aClusterRoleBindingToAGroupGrantsEverywhere() {
        policy.putClusterRole(yaml("""
                metadata: {name: view-secrets}
                rules: [{apiGroups: [""], resources: [secrets], verbs: [get]}]
                """));
        policy.putClusterRoleBinding(yaml("""
                metadata: {name: ops}
                roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view-secrets}
                subjects: [{kind: Group, name: ops}]
                """));
        UserInfo carol = new UserInfo("carol", "", List.of("ops"));
        assertThat(rbac.authorize(get(carol, "secrets", "a")).allowed()).isTrue();
        assertThat(rbac.authorize(get(carol, "secrets", "")).allowed()).isTrue();
        assertThat(rbac.authorize(get(carol, "pods", "a")).allowed()).isFalse();
    }

    @Test
    void aServiceAccountSubjectIsTheUserSystemServiceaccountNamespaceName() {
        policy.putClusterRole(yaml("""
                metadata: {name: cm}
                rules: [{apiGroups: [""], resources: [configmaps], verbs: ["*"]}]
                """));
        policy.putRoleBinding(yaml("""
                metadata: {name: sa, namespace: a}
                roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cm}
                subjects: [{kind: ServiceAccount, name: builder}]
                """));
        UserInfo sa = new UserInfo("system:serviceaccount:a:builder", "", List.of());
        Decision d = rbac.authorize(get(sa, "configmaps", "a"));
        assertThat(d.allowed()).isTrue();
        assertThat(d.reason()).endsWith("to ServiceAccount \"a/builder\"");
        assertThat(rbac.authorize(get(new UserInfo("system:serviceaccount:b:builder", "", List.of()), "configmaps", "a"))
                .allowed()).isFalse();
    }

    @Test
    void aBindingToAMissingRoleGrantsNothing() {
        policy.putClusterRoleBinding(yaml("""
                metadata: {name: dangling}
                roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: not-there}
                subjects: [{kind: User, name: alice}]
                """));
        assertThat(rbac.authorize(get(new UserInfo("alice", "", List.of()), "pods", "a")).allowed()).isFalse();
    }

    @Test
    void theChainAllowsSystemMastersWithoutAnyBinding() {
        Authorizer chain = Authorizer.chain(List.of(PrivilegedGroups.masters(), rbac));
        assertThat(chain.authorize(get(new UserInfo("admin", "", List.of("system:masters")), "secrets", "a")).allowed()).isTrue();
        assertThat(chain.authorize(get(new UserInfo("admin", "", List.of("other")), "secrets", "a")).allowed()).isFalse();
    }
}
