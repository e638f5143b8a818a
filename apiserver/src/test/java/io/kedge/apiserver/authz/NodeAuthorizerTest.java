package io.kedge.apiserver.authz;

import static io.kedge.apiserver.authz.RbacAuthorizerTest.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import io.kedge.api.selector.FieldSelector;
import io.kedge.apiserver.auth.UserInfo;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class NodeAuthorizerTest {
    private static final UserInfo EDGE1 = new UserInfo("system:node:edge-1", "", List.of("system:nodes", "system:authenticated"));
    private final NodeGraph graph = new NodeGraph();
    private final NodeAuthorizer nodes = new NodeAuthorizer(graph,
            name -> Optional.ofNullable(Map.of("csr-1", "system:node:edge-1", "csr-2", "system:node:edge-2").get(name)));

    @BeforeEach
    void pods() {
        graph.put(yaml("""
                metadata: {name: web, namespace: a}
                spec:
                  nodeName: edge-1
                  serviceAccountName: web-sa
                  imagePullSecrets: [{name: pull}]
                  volumes:
                  - {name: s, secret: {secretName: tls}}
                  - {name: p, projected: {sources: [{configMap: {name: projected-cm}}]}}
                  - {name: c, persistentVolumeClaim: {claimName: data}}
                  containers:
                  - name: app
                    env: [{name: K, valueFrom: {secretKeyRef: {name: env-secret, key: k}}}]
                    envFrom: [{configMapRef: {name: env-cm}}]
                """));
        graph.put(yaml("""
                metadata: {name: db, namespace: a}
                spec: {nodeName: edge-2, volumes: [{name: s, secret: {secretName: db-secret}}], containers: [{name: db}]}
                """));
    }

    private Decision ask(String verb, String group, String resource, String sub, String ns, String name) {
        return nodes.authorize(Attributes.resource(EDGE1, verb, group, resource, sub, ns, name));
    }

    @Test
    void aNodeReadsWhatItsOwnPodsReferenceAndNothingElse() {
        for (String secret : List.of("tls", "env-secret", "pull")) {
            assertThat(ask("get", "", "secrets", "", "a", secret).allowed()).as(secret).isTrue();
        }
        assertThat(ask("get", "", "configmaps", "", "a", "projected-cm").allowed()).isTrue();
        assertThat(ask("get", "", "configmaps", "", "a", "env-cm").allowed()).isTrue();
        assertThat(ask("get", "", "persistentvolumeclaims", "", "a", "data").allowed()).isTrue();
        assertThat(ask("get", "", "serviceaccounts", "", "a", "web-sa").allowed()).isTrue();
        assertThat(ask("create", "", "serviceaccounts", "token", "a", "web-sa").allowed()).isTrue();

        Decision other = ask("get", "", "secrets", "", "a", "db-secret");
        assertThat(other.kind()).isEqualTo(Decision.Kind.NO_OPINION);
        assertThat(other.reason()).isEqualTo("no relationship found between node 'edge-1' and this object");
        assertThat(ask("get", "", "secrets", "", "b", "tls").allowed()).isFalse();
        assertThat(ask("list", "", "secrets", "", "a", "").allowed()).isFalse();
    }

    @Test
    void aNodeWatchesOneObjectItsPodsReferenceNarrowedByName() {
        for (String verb : List.of("list", "watch")) {
            Attributes all = Attributes.resource(EDGE1, verb, "", "configmaps", "", "a", "");
            assertThat(nodes.authorize(all.withFieldSelector(FieldSelector.parse("metadata.name=env-cm"))).allowed()).isTrue();
            assertThat(nodes.authorize(all).allowed()).as("not narrowed").isFalse();
            Attributes secrets = Attributes.resource(EDGE1, verb, "", "secrets", "", "a", "");
            assertThat(nodes.authorize(secrets.withFieldSelector(FieldSelector.parse("metadata.name=tls"))).allowed()).isTrue();
            assertThat(nodes.authorize(secrets.withFieldSelector(FieldSelector.parse("metadata.name=db-secret"))).allowed())
                    .as("another node's pod's secret").isFalse();
        }
    }

    @Test
    void aNodeSeesAndWritesOnlyPodsBoundToIt() {
        assertThat(ask("get", "", "pods", "", "a", "web").allowed()).isTrue();
        assertThat(ask("update", "", "pods", "status", "a", "web").allowed()).isTrue();
        assertThat(ask("delete", "", "pods", "", "a", "web").allowed()).isTrue();
        assertThat(ask("get", "", "pods", "", "a", "db").allowed()).isFalse();
        assertThat(ask("patch", "", "pods", "status", "a", "db").allowed()).isFalse();
        assertThat(ask("delete", "", "pods", "", "a", "db").allowed()).isFalse();
        assertThat(ask("update", "", "pods", "", "a", "web").allowed()).isFalse();
    }

    @Test
    void aNodeListsPodsOnlyNarrowedToItself() {
        Attributes list = Attributes.resource(EDGE1, "watch", "", "pods", "", "", "");
        assertThat(nodes.authorize(list).allowed()).isFalse();
        assertThat(nodes.authorize(list.withFieldSelector(FieldSelector.parse("spec.nodeName=edge-1"))).allowed()).isTrue();
        assertThat(nodes.authorize(list.withFieldSelector(FieldSelector.parse("spec.nodeName=edge-2"))).allowed()).isFalse();
    }

    @Test
    void aNodeReadsAndWritesOnlyItsOwnNodeAndLease() {
        assertThat(ask("get", "", "nodes", "", "", "edge-1").allowed()).isTrue();
        assertThat(ask("patch", "", "nodes", "status", "", "edge-1").allowed()).isTrue();
        assertThat(ask("get", "", "nodes", "", "", "edge-2").allowed()).isFalse();
        assertThat(ask("update", "", "nodes", "", "", "edge-2").allowed()).isFalse();
        assertThat(ask("delete", "", "nodes", "", "", "edge-1").allowed()).isFalse();
        Attributes list = Attributes.resource(EDGE1, "list", "", "nodes", "", "", "");
        assertThat(nodes.authorize(list).allowed()).isFalse();
        assertThat(nodes.authorize(list.withFieldSelector(FieldSelector.parse("metadata.name=edge-1"))).allowed()).isTrue();

        assertThat(ask("update", "coordination.k8s.io", "leases", "", "kube-node-lease", "edge-1").allowed()).isTrue();
        assertThat(ask("update", "coordination.k8s.io", "leases", "", "kube-node-lease", "edge-2").allowed()).isFalse();
        assertThat(ask("get", "coordination.k8s.io", "leases", "", "kube-system", "edge-1").allowed()).isFalse();
    }

    @Test
    void aNodeWritesEventsReadsServicesAndHandlesOnlyItsOwnCsrs() {
        assertThat(ask("create", "", "events", "", "a", "").allowed()).isTrue();
        assertThat(ask("patch", "events.k8s.io", "events", "", "a", "e").allowed()).isTrue();
        assertThat(ask("delete", "", "events", "", "a", "e").allowed()).isFalse();
        assertThat(ask("list", "", "services", "", "a", "").allowed()).isTrue();
        assertThat(ask("watch", "discovery.k8s.io", "endpointslices", "", "", "").allowed()).isTrue();
        assertThat(ask("create", "", "services", "", "a", "").allowed()).isFalse();
        assertThat(ask("create", "certificates.k8s.io", "certificatesigningrequests", "", "", "").allowed()).isTrue();
        assertThat(ask("get", "certificates.k8s.io", "certificatesigningrequests", "", "", "csr-1").allowed()).isTrue();
        assertThat(ask("get", "certificates.k8s.io", "certificatesigningrequests", "", "", "csr-2").allowed()).isFalse();
    }

    @Test
    void aPodMovedOrDeletedStopsGrantingItsReferences() {
        graph.remove(yaml("metadata: {name: web, namespace: a}"));
        assertThat(ask("get", "", "secrets", "", "a", "tls").allowed()).isFalse();
        assertThat(ask("get", "", "pods", "", "a", "web").allowed()).isFalse();
        graph.put(yaml("""
                metadata: {name: db, namespace: a}
                spec: {nodeName: edge-1, volumes: [{name: s, secret: {secretName: db-secret}}], containers: [{name: db}]}
                """));
        assertThat(ask("get", "", "secrets", "", "a", "db-secret").allowed()).isTrue();
    }

    @Test
    void otherUsersAndOtherResourcesGetNoOpinion() {
        Decision d = nodes.authorize(Attributes.resource(new UserInfo("system:node:edge-1", "", List.of()), "get", "", "pods",
                "", "a", "web"));
        assertThat(d.kind()).isEqualTo(Decision.Kind.NO_OPINION);
        assertThat(ask("get", "apps", "deployments", "", "a", "x").kind()).isEqualTo(Decision.Kind.NO_OPINION);
        assertThat(nodes.authorize(Attributes.nonResource(EDGE1, "get", "/api")).kind()).isEqualTo(Decision.Kind.NO_OPINION);
    }
}
