package io.kedge.apiserver.authz;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kedge.api.Meta;
import io.kedge.apiserver.auth.UserInfo;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ComponentPolicyTest {
    private static final UserInfo CONTROLLERS = new UserInfo(ComponentPolicy.CONTROLLER_MANAGER, "",
            List.of("system:authenticated"));
    private static final UserInfo SCHEDULER = new UserInfo(ComponentPolicy.SCHEDULER, "", List.of("system:authenticated"));

    private final RbacPolicy policy = new RbacPolicy();
    private final RbacAuthorizer rbac = new RbacAuthorizer(policy);

    @BeforeEach
    void theDefaultPolicy() {
        BootstrapPolicy.clusterRoles().forEach(policy::putClusterRole);
        BootstrapPolicy.clusterRoleBindings().forEach(policy::putClusterRoleBinding);
    }

    private boolean can(UserInfo u, String verb, String group, String resource, String subresource, String ns, String name) {
        return rbac.authorize(Attributes.resource(u, verb, group, resource, subresource, ns, name)).allowed();
    }

    @Test
    void eachComponentHasItsRoleBoundToItsUserOnly() {
        for (String component : List.of(ComponentPolicy.CONTROLLER_MANAGER, ComponentPolicy.SCHEDULER)) {
            ObjectNode role = find(BootstrapPolicy.clusterRoles(), component).orElseThrow();
            assertThat(role.path("rules").size()).isPositive();
            assertThat(role.path("metadata").path("labels").path("kubernetes.io/bootstrapping").asText())
                    .isEqualTo("rbac-defaults");
            ObjectNode binding = find(BootstrapPolicy.clusterRoleBindings(), component).orElseThrow();
            assertThat(binding.path("roleRef").path("kind").asText()).isEqualTo("ClusterRole");
            assertThat(binding.path("roleRef").path("name").asText()).isEqualTo(component);
            assertThat(binding.path("subjects")).hasSize(1);
            assertThat(binding.path("subjects").get(0).path("kind").asText()).isEqualTo("User");
            assertThat(binding.path("subjects").get(0).path("name").asText()).isEqualTo(component);
        }
    }

    @Test
    void noComponentRuleGrantsEveryVerbAndOnlyTheCollectorsRuleCoversEveryResource() {
        List<PolicyRule> all = new java.util.ArrayList<>(ComponentPolicy.controllerManagerRules());
        all.addAll(ComponentPolicy.schedulerRules());
        assertThat(all).noneMatch(r -> r.verbs().contains("*") || r.apiGroups().contains("*") && !r.resources().contains("*"));
        List<PolicyRule> everyResource = all.stream().filter(r -> r.resources().contains("*")).toList();
        assertThat(everyResource).hasSize(1);
        assertThat(everyResource.get(0).verbs())
                .containsExactlyInAnyOrder("delete", "deletecollection", "get", "list", "patch", "watch");
    }

    @Test
    void theControllersMayDoWhatTheirLoopsDo() {
        assertThat(can(CONTROLLERS, "create", "", "pods", "", "a", "")).isTrue();
        assertThat(can(CONTROLLERS, "patch", "", "pods", "", "a", "p")).isTrue();
        assertThat(can(CONTROLLERS, "update", "", "pods", "status", "a", "p")).isTrue();
        assertThat(can(CONTROLLERS, "create", "apps", "replicasets", "", "a", "")).isTrue();
        assertThat(can(CONTROLLERS, "update", "apps", "deployments", "status", "a", "d")).isTrue();
        assertThat(can(CONTROLLERS, "create", "apps", "controllerrevisions", "", "a", "")).isTrue();
        assertThat(can(CONTROLLERS, "create", "batch", "jobs", "", "a", "")).isTrue();
        assertThat(can(CONTROLLERS, "update", "batch", "cronjobs", "status", "a", "c")).isTrue();
        assertThat(can(CONTROLLERS, "update", "", "endpoints", "", "a", "svc")).isTrue();
        assertThat(can(CONTROLLERS, "create", "discovery.k8s.io", "endpointslices", "", "a", "")).isTrue();
        assertThat(can(CONTROLLERS, "create", "", "serviceaccounts", "", "a", "")).isTrue();
        assertThat(can(CONTROLLERS, "update", "", "configmaps", "", "a", "kube-root-ca.crt")).isTrue();
        assertThat(can(CONTROLLERS, "update", "", "namespaces", "finalize", "", "a")).isTrue();
        assertThat(can(CONTROLLERS, "patch", "", "nodes", "", "", "n1")).isTrue();
        assertThat(can(CONTROLLERS, "update", "", "nodes", "status", "", "n1")).isTrue();
        assertThat(can(CONTROLLERS, "watch", "coordination.k8s.io", "leases", "", "", "")).isTrue();
        assertThat(can(CONTROLLERS, "update", "policy", "poddisruptionbudgets", "status", "a", "b")).isTrue();
        assertThat(can(CONTROLLERS, "create", "edge.kedge.io", "edgeunits", "", "", "")).isTrue();
        assertThat(can(CONTROLLERS, "update", "edge.kedge.io", "unitdeployments", "status", "a", "u")).isTrue();
        // the garbage collector acts on any resource, custom ones included
        assertThat(can(CONTROLLERS, "delete", "example.com", "widgets", "", "a", "w")).isTrue();
        assertThat(can(CONTROLLERS, "list", "", "secrets", "", "", "")).isTrue();
    }

    @Test
    void theControllersLeadByTheirOwnLeaseAndRecordEvents() {
        assertThat(can(CONTROLLERS, "create", "coordination.k8s.io", "leases", "", "kube-system", "")).isTrue();
        assertThat(can(CONTROLLERS, "patch", "coordination.k8s.io", "leases", "", "kube-system", "kedge-controllers")).isTrue();
        // (the garbage collector's patch on every resource reaches the scheduler's Lease; an update does not)
        assertThat(can(CONTROLLERS, "update", "coordination.k8s.io", "leases", "", "kube-system", "kedge-scheduler")).isFalse();
        assertThat(can(CONTROLLERS, "create", "", "events", "", "a", "")).isTrue();
        assertThat(can(CONTROLLERS, "update", "", "events", "", "a", "e")).isTrue();
    }

    @Test
    void theControllersApproveOnlyNodeCertificatesAndSignForKedgesSigners() {
        assertThat(can(CONTROLLERS, "update", "certificates.k8s.io", "certificatesigningrequests", "approval", "", "c")).isTrue();
        assertThat(can(CONTROLLERS, "update", "certificates.k8s.io", "certificatesigningrequests", "status", "", "c")).isTrue();
        assertThat(can(CONTROLLERS, "approve", "certificates.k8s.io", "signers", "", "", ComponentPolicy.KUBELET_CLIENT_SIGNER)).isTrue();
        assertThat(can(CONTROLLERS, "approve", "certificates.k8s.io", "signers", "", "", ComponentPolicy.KUBELET_SERVING_SIGNER)).isTrue();
        assertThat(can(CONTROLLERS, "approve", "certificates.k8s.io", "signers", "", "", ComponentPolicy.CLIENT_SIGNER)).isFalse();
        for (String signer : List.of(ComponentPolicy.CLIENT_SIGNER, ComponentPolicy.KUBELET_CLIENT_SIGNER,
                ComponentPolicy.KUBELET_SERVING_SIGNER)) {
            assertThat(can(CONTROLLERS, "sign", "certificates.k8s.io", "signers", "", "", signer)).isTrue();
        }
        assertThat(can(CONTROLLERS, "sign", "certificates.k8s.io", "signers", "", "", "example.com/other")).isFalse();
    }

    @Test
    void theControllersCannotGrantThemselvesMoreOrActAsOthers() {
        assertThat(can(CONTROLLERS, "create", "rbac.authorization.k8s.io", "clusterrolebindings", "", "", "")).isFalse();
        assertThat(can(CONTROLLERS, "create", "rbac.authorization.k8s.io", "rolebindings", "", "a", "")).isFalse();
        assertThat(can(CONTROLLERS, "update", "rbac.authorization.k8s.io", "clusterroles", "", "", "cluster-admin")).isFalse();
        assertThat(can(CONTROLLERS, "escalate", "rbac.authorization.k8s.io", "clusterroles", "", "", "")).isFalse();
        assertThat(can(CONTROLLERS, "bind", "rbac.authorization.k8s.io", "clusterroles", "", "", "cluster-admin")).isFalse();
        assertThat(can(CONTROLLERS, "impersonate", "", "users", "", "", "kedge-admin")).isFalse();
        assertThat(can(CONTROLLERS, "impersonate", "", "groups", "", "", "system:masters")).isFalse();
        assertThat(can(CONTROLLERS, "create", "", "serviceaccounts", "token", "a", "default")).isFalse();
        assertThat(can(CONTROLLERS, "create", "", "pods", "exec", "a", "p")).isFalse();
        assertThat(can(CONTROLLERS, "create", "", "secrets", "", "a", "")).isFalse();
        assertThat(can(CONTROLLERS, "update", "", "secrets", "", "a", "s")).isFalse();
        assertThat(can(CONTROLLERS, "update", "", "pods", "", "a", "p")).isFalse();
        // binding pods is the scheduler's
        assertThat(can(CONTROLLERS, "create", "", "pods", "binding", "a", "p")).isFalse();
    }

    @Test
    void theSchedulerBindsPodsAndNothingElse() {
        assertThat(can(SCHEDULER, "watch", "", "pods", "", "", "")).isTrue();
        assertThat(can(SCHEDULER, "get", "", "pods", "", "a", "p")).isTrue();
        assertThat(can(SCHEDULER, "list", "", "nodes", "", "", "")).isTrue();
        assertThat(can(SCHEDULER, "list", "", "namespaces", "", "", "")).isTrue();
        assertThat(can(SCHEDULER, "create", "", "pods", "binding", "a", "p")).isTrue();
        assertThat(can(SCHEDULER, "patch", "", "pods", "status", "a", "p")).isTrue();
        assertThat(can(SCHEDULER, "create", "", "events", "", "a", "")).isTrue();
        assertThat(can(SCHEDULER, "patch", "coordination.k8s.io", "leases", "", "kube-system", "kedge-scheduler")).isTrue();

        assertThat(can(SCHEDULER, "patch", "coordination.k8s.io", "leases", "", "kube-system", "kedge-controllers")).isFalse();
        assertThat(can(SCHEDULER, "get", "", "secrets", "", "a", "s")).isFalse();
        assertThat(can(SCHEDULER, "list", "", "secrets", "", "", "")).isFalse();
        assertThat(can(SCHEDULER, "create", "", "pods", "", "a", "")).isFalse();
        assertThat(can(SCHEDULER, "delete", "", "pods", "", "a", "p")).isFalse();
        assertThat(can(SCHEDULER, "patch", "", "nodes", "", "", "n1")).isFalse();
        assertThat(can(SCHEDULER, "update", "", "pods", "status", "a", "p")).isFalse();
    }

    private static Optional<ObjectNode> find(List<ObjectNode> objects, String name) {
        return objects.stream().filter(o -> name.equals(Meta.name(o))).findFirst();
    }
}
