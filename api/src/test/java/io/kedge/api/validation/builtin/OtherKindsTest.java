package io.kedge.api.validation.builtin;

import static io.kedge.api.validation.FieldError.Reason.Duplicate;
import static io.kedge.api.validation.FieldError.Reason.Invalid;
import static io.kedge.api.validation.FieldError.Reason.NotSupported;
import static io.kedge.api.validation.FieldError.Reason.Required;
import static io.kedge.api.validation.FieldError.Reason.TooLong;
import static io.kedge.api.validation.FieldError.Reason.TooMany;
import static io.kedge.api.validation.Trees.assertHas;
import static io.kedge.api.validation.Trees.assertOnly;
import static io.kedge.api.validation.Trees.stored;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kedge.api.validation.FieldError;
import io.kedge.api.validation.Trees;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Leases, endpoints, events, disruption budgets, RBAC, signing requests and CRDs. */
class OtherKindsTest {
    private static List<FieldError> create(String group, String kind, boolean namespaced, String text) {
        return Trees.create(group, kind, namespaced, stored(group, kind, text));
    }

    private static final String NS = "metadata: {name: x, namespace: d}\n";

    @Test
    void leases() {
        assertThat(create("coordination.k8s.io", "Lease", true, NS + "spec: {holderIdentity: node-1, "
                + "leaseDurationSeconds: 40, renewTime: '2026-11-27T10:00:00.123456Z'}")).isEmpty();
        assertOnly(create("coordination.k8s.io", "Lease", true, NS + "spec: {leaseDurationSeconds: 0}"),
                "spec.leaseDurationSeconds", Invalid);
        assertOnly(create("coordination.k8s.io", "Lease", true, NS + "spec: {renewTime: yesterday}"),
                "spec.renewTime", Invalid);
    }

    @Test
    void endpoints() {
        ObjectNode ep = stored("", "Endpoints", NS + "subsets: [{addresses: [{ip: 10.244.1.5}], ports: [{port: 80}]}]");
        assertThat(ep.at("/subsets/0/ports/0/protocol").asText()).isEqualTo("TCP");
        assertThat(Trees.create("", "Endpoints", true, ep)).isEmpty();
        assertOnly(create("", "Endpoints", true, NS + "subsets: [{ports: [{port: 80}]}]"), "subsets[0]", Required);
        assertOnly(create("", "Endpoints", true, NS + "subsets: [{addresses: [{ip: 127.0.0.1}]}]"),
                "subsets[0].addresses[0].ip", Invalid);
        assertOnly(create("", "Endpoints", true, NS + "subsets: [{addresses: [{ip: 10.0.0.1}], "
                + "ports: [{port: 80, name: a}, {port: 81}]}]"), "subsets[0].ports[1].name", Required);
    }

    @Test
    void endpointSlices() {
        String group = "discovery.k8s.io";
        ObjectNode slice = stored(group, "EndpointSlice", NS + "addressType: IPv4\nendpoints: [{addresses: [10.244.1.5], "
                + "conditions: {ready: true}}]\nports: [{port: 80}]");
        assertThat(slice.at("/ports/0/protocol").asText()).isEqualTo("TCP");
        assertThat(slice.at("/ports/0/name").isTextual()).isTrue();
        assertThat(Trees.create(group, "EndpointSlice", true, slice)).isEmpty();
        assertOnly(create(group, "EndpointSlice", true, NS + "endpoints: []"), "addressType", Required);
        assertOnly(create(group, "EndpointSlice", true, NS + "addressType: IPX"), "addressType", NotSupported);
        assertOnly(create(group, "EndpointSlice", true, NS + "addressType: IPv4\nendpoints: [{addresses: ['fd00::1']}]"),
                "endpoints[0].addresses[0]", Invalid);
        assertOnly(create(group, "EndpointSlice", true, NS + "addressType: IPv6\nendpoints: [{addresses: []}]"),
                "endpoints[0].addresses", Required);
        assertOnly(create(group, "EndpointSlice", true, NS + "addressType: FQDN\nports: [{port: 80}, {port: 81}]"),
                "ports[1].name", Duplicate);
        StringBuilder many = new StringBuilder(NS + "addressType: FQDN\nendpoints:\n");
        for (int i = 0; i < 1001; i++) {
            many.append("- {addresses: [a.example.com]}\n");
        }
        assertOnly(create(group, "EndpointSlice", true, many.toString()), "endpoints", TooMany);
        ObjectNode old = slice.deepCopy();
        slice.put("addressType", "FQDN");
        slice.remove("endpoints");
        assertOnly(Trees.update(group, "EndpointSlice", true, slice, old), "addressType", Invalid);
    }

    @Test
    void coreEvents() {
        assertThat(create("", "Event", true, NS + "involvedObject: {kind: Pod, name: p, namespace: d}\n"
                + "reason: Started\nmessage: ok\ntype: Normal")).isEmpty();
        assertThat(create("", "Event", true, "metadata: {name: x, namespace: default}\n"
                + "involvedObject: {kind: Node, name: n}")).isEmpty();
        assertOnly(create("", "Event", true, NS + "reason: x"), "involvedObject", Required);
        FieldError e = assertOnly(create("", "Event", true, NS + "involvedObject: {kind: Pod, name: p, namespace: other}"),
                "involvedObject.namespace", Invalid);
        assertThat(e.message()).endsWith("does not match event.namespace");
    }

    @Test
    void newStyleEvents() {
        String group = "events.k8s.io";
        String valid = NS + "regarding: {kind: Pod, name: p, namespace: d}\neventTime: '2026-11-27T10:00:00.000000Z'\n"
                + "reportingController: kedge.io/kubelet\nreportingInstance: node-1\naction: Pulling\nreason: Pulling\n"
                + "type: Normal\n";
        assertThat(create(group, "Event", true, valid)).isEmpty();
        assertOnly(create(group, "Event", true, valid.replace("type: Normal", "type: Info")), "type", NotSupported);
        assertOnly(create(group, "Event", true, valid.replace("action: Pulling\n", "")), "action", Required);
        assertOnly(create(group, "Event", true, valid + "note: " + "n".repeat(1025)), "note", TooLong);
        List<FieldError> bare = create(group, "Event", true, NS);
        assertHas(bare, "eventTime", Required);
        assertHas(bare, "reportingController", Required);
    }

    @Test
    void podDisruptionBudgets() {
        String group = "policy";
        assertThat(create(group, "PodDisruptionBudget", true, NS + "spec: {minAvailable: '50%', "
                + "selector: {matchLabels: {app: web}}}")).isEmpty();
        FieldError e = assertOnly(create(group, "PodDisruptionBudget", true, NS
                + "spec: {minAvailable: 1, maxUnavailable: 1}"), "spec", Invalid);
        assertThat(e.message()).endsWith("minAvailable and maxUnavailable cannot be both set");
        assertOnly(create(group, "PodDisruptionBudget", true, NS + "spec: {maxUnavailable: '120%'}"),
                "spec.maxUnavailable", Invalid);
        assertOnly(create(group, "PodDisruptionBudget", true, NS + "spec: {minAvailable: -1}"),
                "spec.minAvailable", Invalid);
        assertOnly(create(group, "PodDisruptionBudget", true, NS + "spec: {unhealthyPodEvictionPolicy: Never}"),
                "spec.unhealthyPodEvictionPolicy", NotSupported);
    }

    private static final String RBAC = "rbac.authorization.k8s.io";

    @Test
    void roles() {
        assertThat(create(RBAC, "ClusterRole", false, "metadata: {name: 'system:kedge:hub'}\n"
                + "rules: [{apiGroups: [''], resources: [pods], verbs: [get, list]}, "
                + "{nonResourceURLs: [/healthz], verbs: [get]}]")).isEmpty();
        assertOnly(create(RBAC, "Role", true, NS + "rules: [{apiGroups: [''], resources: [pods]}]"),
                "rules[0].verbs", Required);
        assertOnly(create(RBAC, "Role", true, NS + "rules: [{resources: [pods], verbs: [get]}]"),
                "rules[0].apiGroups", Required);
        assertOnly(create(RBAC, "Role", true, NS + "rules: [{nonResourceURLs: [/x], verbs: [get]}]"),
                "rules[0].nonResourceURLs", Invalid);
        assertOnly(create(RBAC, "ClusterRole", false, "metadata: {name: agg}\naggregationRule: {}"),
                "aggregationRule.clusterRoleSelectors", Required);
        assertOnly(create(RBAC, "Role", true, "metadata: {name: 'a/b', namespace: d}"), "metadata.name", Invalid);
    }

    @Test
    void bindings() {
        ObjectNode rb = stored(RBAC, "RoleBinding", NS + "roleRef: {kind: ClusterRole, name: view}\n"
                + "subjects: [{kind: User, name: alice}, {kind: ServiceAccount, name: default}]");
        assertThat(rb.at("/roleRef/apiGroup").asText()).isEqualTo(RBAC);
        assertThat(rb.at("/subjects/0/apiGroup").asText()).isEqualTo(RBAC);
        assertThat(rb.at("/subjects/1/apiGroup").asText()).isEmpty();
        assertThat(Trees.create(RBAC, "RoleBinding", true, rb)).isEmpty();

        assertOnly(create(RBAC, "ClusterRoleBinding", false, "metadata: {name: b}\nroleRef: {kind: Role, name: r}"),
                "roleRef.kind", NotSupported);
        assertOnly(create(RBAC, "ClusterRoleBinding", false, "metadata: {name: b}\nroleRef: {kind: ClusterRole, "
                + "name: r}\nsubjects: [{kind: ServiceAccount, name: sa}]"), "subjects[0].namespace", Required);
        assertOnly(create(RBAC, "RoleBinding", true, NS + "roleRef: {kind: Role, name: r}\nsubjects: [{kind: Robot, "
                + "name: r2}]"), "subjects[0].kind", NotSupported);
        assertOnly(create(RBAC, "RoleBinding", true, NS + "roleRef: {kind: Role}"), "roleRef.name", Required);

        ObjectNode changed = rb.deepCopy();
        ((ObjectNode) changed.get("roleRef")).put("name", "edit");
        FieldError e = assertOnly(Trees.update(RBAC, "RoleBinding", true, changed, rb), "roleRef", Invalid);
        assertThat(e.message()).endsWith("cannot change roleRef");
    }

    private static final String PEM = "-----BEGIN CERTIFICATE REQUEST-----\nMIIBCDCBrwIBADBNMRUwEwYDVQQKEwxzeXN0ZW06bm9kZXMx\n"
            + "-----END CERTIFICATE REQUEST-----\n";

    private static String csr(String spec) {
        return "metadata: {name: 'node-csr-abc'}\nspec: " + spec;
    }

    @Test
    void certificateSigningRequests() {
        String group = "certificates.k8s.io";
        String request = Base64.getEncoder().encodeToString(PEM.getBytes());
        String valid = "{request: " + request + ", signerName: kubernetes.io/kube-apiserver-client-kubelet, "
                + "usages: [digital signature, client auth]";
        assertThat(create(group, "CertificateSigningRequest", false, csr(valid + "}"))).isEmpty();
        assertOnly(create(group, "CertificateSigningRequest", false, csr(valid.replace("signerName", "x") + "}")),
                "spec.signerName", Required);
        assertOnly(create(group, "CertificateSigningRequest", false,
                csr(valid.replace("kubernetes.io/kube-apiserver-client-kubelet", "kubelet") + "}")),
                "spec.signerName", Invalid);
        assertOnly(create(group, "CertificateSigningRequest", false, csr(valid.replace(request,
                Base64.getEncoder().encodeToString("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"
                        .getBytes())) + "}")), "spec.request", Invalid);
        assertOnly(create(group, "CertificateSigningRequest", false, csr(valid + ", expirationSeconds: 60}")),
                "spec.expirationSeconds", Invalid);
        assertOnly(create(group, "CertificateSigningRequest", false,
                csr(valid.replace("client auth", "world domination") + "}")), "spec.usages[1]", NotSupported);
        assertOnly(create(group, "CertificateSigningRequest", false,
                csr("{request: " + request + ", signerName: example.com/x}")), "spec.usages", Required);
    }

    @Test
    void signingRequestUpdatesKeepTheStoredSpec() {
        String group = "certificates.k8s.io";
        ObjectNode old = stored(group, "CertificateSigningRequest", csr("{signerName: example.com/a}"));
        ObjectNode now = stored(group, "CertificateSigningRequest", csr("{signerName: example.com/b}"));
        Trees.update(group, "CertificateSigningRequest", false, now, old);
        assertThat(now.at("/spec/signerName").asText()).isEqualTo("example.com/a");
    }

    private static final String CRD = """
            metadata: {name: widgets.example.com}
            spec:
              group: example.com
              scope: Namespaced
              names: {plural: widgets, kind: Widget}
              versions:
              - name: v1
                served: true
                storage: true
                schema: {openAPIV3Schema: {type: object}}
            """;

    @Test
    void customResourceDefinitions() {
        String group = "apiextensions.k8s.io";
        ObjectNode crd = stored(group, "CustomResourceDefinition", CRD);
        assertThat(crd.at("/spec/names/singular").asText()).isEqualTo("widget");
        assertThat(crd.at("/spec/names/listKind").asText()).isEqualTo("WidgetList");
        assertThat(crd.at("/spec/conversion/strategy").asText()).isEqualTo("None");
        assertThat(Trees.create(group, "CustomResourceDefinition", false, crd)).isEmpty();

        FieldError e = assertOnly(create(group, "CustomResourceDefinition", false,
                CRD.replace("widgets.example.com", "gadgets.example.com")), "metadata.name", Invalid);
        assertThat(e.message()).endsWith("must be spec.names.plural+\".\"+spec.group");
        assertOnly(create(group, "CustomResourceDefinition", false, CRD.replace("storage: true", "storage: false")),
                "spec.versions", Invalid);
        assertOnly(create(group, "CustomResourceDefinition", false, CRD.replace("Namespaced", "Global")),
                "spec.scope", NotSupported);
        assertOnly(create(group, "CustomResourceDefinition", false, CRD.replace("kind: Widget", "listKind: X")),
                "spec.names.kind", Required);
        assertOnly(create(group, "CustomResourceDefinition", false,
                CRD.replace("    schema: {openAPIV3Schema: {type: object}}\n", "")),
                "spec.versions[0].schema.openAPIV3Schema", Required);
        assertHas(create(group, "CustomResourceDefinition", false,
                CRD.replace("widgets.example.com", "widgets.example").replace("group: example.com", "group: example")),
                "spec.group", Invalid);
        assertOnly(create(group, "CustomResourceDefinition", false, CRD + """
                  - name: v1
                    served: true
                    storage: false
                    schema: {openAPIV3Schema: {type: object}}
                """), "spec.versions[1].name", Duplicate);
    }

    @Test
    void establishedCrdsKeepTheirScope() {
        String group = "apiextensions.k8s.io";
        ObjectNode old = stored(group, "CustomResourceDefinition", CRD + "status: {conditions: [{type: Established, "
                + "status: 'True'}]}");
        ObjectNode now = stored(group, "CustomResourceDefinition", CRD.replace("Namespaced", "Cluster"));
        assertOnly(Trees.update(group, "CustomResourceDefinition", false, now, old), "spec.scope", Invalid);
    }
}
