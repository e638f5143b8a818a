package io.kedge.apiserver.authz;

import static io.kedge.apiserver.authz.RbacAuthorizerTest.yaml;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kedge.apiserver.auth.UserInfo;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AccessReviewsTest {
    private final RbacPolicy policy = new RbacPolicy();
    private final AccessReviews reviews = new AccessReviews(
            Authorizer.chain(List.of(PrivilegedGroups.masters(), new RbacAuthorizer(policy))), policy);
    private static final UserInfo ALICE = new UserInfo("alice", "", List.of("system:authenticated"));

    @BeforeEach
    void aliceViewsPodsInA() {
        policy.putClusterRole(yaml("""
                metadata: {name: pod-reader}
                rules: [{apiGroups: [""], resources: [pods], verbs: [get, list]}]
                """));
        policy.putRoleBinding(yaml("""
                metadata: {name: alice, namespace: a}
                roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: pod-reader}
                subjects: [{kind: User, name: alice}]
                """));
    }

    @Test
    void aSelfSubjectAccessReviewAnswersForTheCaller() {
        ObjectNode allowed = reviews.review("SelfSubjectAccessReview", yaml(
                "spec: {resourceAttributes: {verb: list, resource: pods, namespace: a}}"), ALICE, "");
        assertThat(allowed.path("status").path("allowed").asBoolean()).isTrue();
        ObjectNode denied = reviews.review("SelfSubjectAccessReview", yaml(
                "spec: {resourceAttributes: {verb: create, resource: pods, namespace: a}}"), ALICE, "");
        assertThat(denied.path("status").path("allowed").asBoolean()).isFalse();
    }

    @Test
    void aSubjectAccessReviewAnswersForTheNamedUserNotTheCaller() {
        UserInfo admin = new UserInfo("admin", "", List.of("system:masters"));
        ObjectNode r = reviews.review("SubjectAccessReview", yaml(
                "spec: {user: alice, resourceAttributes: {verb: delete, resource: pods, namespace: a}}"), admin, "");
        assertThat(r.path("status").path("allowed").asBoolean()).isFalse();
        assertThatThrownBy(() -> reviews.review("SubjectAccessReview", yaml(
                "spec: {resourceAttributes: {verb: get, resource: pods}}"), admin, ""))
                .hasMessageContaining("at least one of user or group must be specified");
        assertThatThrownBy(() -> reviews.review("SubjectAccessReview", yaml(
                "spec: {user: alice, resourceAttributes: {verb: get}, nonResourceAttributes: {verb: get, path: /api}}"), admin, ""))
                .hasMessageContaining("exactly one of nonResourceAttributes or resourceAttributes must be specified");
    }

    @Test
    void aLocalSubjectAccessReviewMustStayInItsNamespace() {
        ObjectNode r = reviews.review("LocalSubjectAccessReview", yaml(
                "spec: {user: alice, resourceAttributes: {verb: get, resource: pods, namespace: a}}"), ALICE, "a");
        assertThat(r.path("status").path("allowed").asBoolean()).isTrue();
        assertThatThrownBy(() -> reviews.review("LocalSubjectAccessReview", yaml(
                "spec: {user: alice, resourceAttributes: {verb: get, resource: pods, namespace: b}}"), ALICE, "a"))
                .hasMessageContaining("must match metadata.namespace");
    }

    @Test
    void aSelfSubjectRulesReviewListsTheCallersRulesInTheNamespace() {
        ObjectNode inA = reviews.review("SelfSubjectRulesReview", yaml("spec: {namespace: a}"), ALICE, "");
        assertThat(inA.path("status").path("resourceRules")).hasSize(1);
        assertThat(inA.path("status").path("resourceRules").get(0).path("resources").get(0).asText()).isEqualTo("pods");
        assertThat(inA.path("status").path("incomplete").asBoolean()).isFalse();
        ObjectNode inB = reviews.review("SelfSubjectRulesReview", yaml("spec: {namespace: b}"), ALICE, "");
        assertThat(inB.path("status").path("resourceRules")).isEmpty();
    }
}
