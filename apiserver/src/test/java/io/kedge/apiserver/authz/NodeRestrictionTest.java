package io.kedge.apiserver.authz;

import static io.kedge.apiserver.authz.RbacAuthorizerTest.yaml;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kedge.api.ApiException;
import io.kedge.apiserver.auth.UserInfo;
import io.kedge.apiserver.registry.ResourceType;
import io.kedge.apiserver.registry.WriteOptions;
import java.util.List;
import org.junit.jupiter.api.Test;

class NodeRestrictionTest {
    private static final WriteOptions EDGE1 = new WriteOptions(false, "kubelet", "Ignore",
            new UserInfo("system:node:edge-1", "", List.of("system:nodes")));
    private static final WriteOptions ADMIN = new WriteOptions(false, "kubectl", "Ignore",
            new UserInfo("admin", "", List.of("system:masters")));
    private final NodeRestriction admission = new NodeRestriction();
    private final ResourceType nodes = Types.of("", "nodes");
    private final ResourceType pods = Types.of("", "pods");
    private final ResourceType leases = Types.of("coordination.k8s.io", "leases");

    @Test
    void aNodeRegistersItselfWithItsUnitButNoRestrictedLabel() {
        assertThatCode(() -> admission.admitCreate(nodes, yaml("metadata: {name: edge-1, labels: {kedge.io/unit: u1}}"), EDGE1))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> admission.admitCreate(nodes, yaml("metadata: {name: edge-2}"), EDGE1))
                .hasMessage("nodes \"edge-2\" is forbidden: node \"edge-1\" is not allowed to modify node \"edge-2\"");
        assertThatThrownBy(() -> admission.admitCreate(nodes,
                yaml("metadata: {name: edge-1, labels: {node-restriction.kubernetes.io/pool: gold}}"), EDGE1))
                .hasMessageEndingWith("node \"edge-1\" is not allowed to set the following labels: node-restriction.kubernetes.io/pool");
    }

    @Test
    void aNodeMayNotChangeItsUnitOrRestrictedLabelsAfterRegistering() {
        var old = yaml("metadata: {name: edge-1, labels: {kedge.io/unit: u1, app: x}}");
        assertThatCode(() -> admission.admitUpdate(nodes, yaml("metadata: {name: edge-1, labels: {kedge.io/unit: u1, app: y}}"),
                old, EDGE1)).doesNotThrowAnyException();
        assertThatThrownBy(() -> admission.admitUpdate(nodes, yaml("metadata: {name: edge-1, labels: {kedge.io/unit: u2}}"),
                old, EDGE1)).isInstanceOf(ApiException.class)
                .hasMessageEndingWith("node \"edge-1\" is not allowed to modify labels: kedge.io/unit");
        assertThatThrownBy(() -> admission.admitUpdate(nodes,
                yaml("metadata: {name: edge-1, labels: {kedge.io/unit: u1, foo.node-restriction.kubernetes.io/x: y}}"),
                old, EDGE1)).hasMessageContaining("foo.node-restriction.kubernetes.io/x");
        assertThatCode(() -> admission.admitUpdate(nodes, yaml("metadata: {name: edge-1, labels: {kedge.io/unit: u2}}"),
                old, ADMIN)).doesNotThrowAnyException();
    }

    @Test
    void aNodeCreatesOnlyMirrorPodsBoundToItselfWithoutSecrets() {
        assertThatCode(() -> admission.admitCreate(pods, yaml("""
                metadata: {name: m, namespace: a, annotations: {kubernetes.io/config.mirror: abc}}
                spec: {nodeName: edge-1, containers: [{name: c}]}
                """), EDGE1)).doesNotThrowAnyException();
        assertThatThrownBy(() -> admission.admitCreate(pods, yaml("""
                metadata: {name: m, namespace: a}
                spec: {nodeName: edge-1, containers: [{name: c}]}
                """), EDGE1)).hasMessageEndingWith("pod does not have \"kubernetes.io/config.mirror\" annotation, node \"edge-1\" "
                + "can only create mirror pods");
        assertThatThrownBy(() -> admission.admitCreate(pods, yaml("""
                metadata: {name: m, namespace: a, annotations: {kubernetes.io/config.mirror: abc}}
                spec: {nodeName: edge-2, containers: [{name: c}]}
                """), EDGE1)).hasMessageEndingWith("node \"edge-1\" can only create pods with spec.nodeName set to itself");
        assertThatThrownBy(() -> admission.admitCreate(pods, yaml("""
                metadata: {name: m, namespace: a, annotations: {kubernetes.io/config.mirror: abc}}
                spec: {nodeName: edge-1, volumes: [{name: s, secret: {secretName: x}}], containers: [{name: c}]}
                """), EDGE1)).hasMessageEndingWith("can not create pods that reference secrets");
    }

    @Test
    void aNodeWritesOnlyTheLeaseOfItsName() {
        assertThatCode(() -> admission.admitCreate(leases, yaml("metadata: {name: edge-1, namespace: kube-node-lease}"), EDGE1))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> admission.admitCreate(leases, yaml("metadata: {name: edge-2, namespace: kube-node-lease}"), EDGE1))
                .hasMessageEndingWith("can only access node lease with the same name as the requesting node");
    }
}
