package io.kedge.api.validation.builtin;

import static io.kedge.api.validation.FieldError.Reason.Duplicate;
import static io.kedge.api.validation.FieldError.Reason.Forbidden;
import static io.kedge.api.validation.FieldError.Reason.Invalid;
import static io.kedge.api.validation.FieldError.Reason.NotSupported;
import static io.kedge.api.validation.FieldError.Reason.Required;
import static io.kedge.api.validation.Trees.assertHas;
import static io.kedge.api.validation.Trees.assertOnly;
import static io.kedge.api.validation.Trees.stored;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kedge.api.validation.BuiltinStrategies;
import io.kedge.api.validation.FieldError;
import io.kedge.api.validation.Trees;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServiceTest {
    private static ObjectNode svc(String spec) {
        return stored("", "Service", "metadata: {name: web, namespace: d}\nspec:\n" + spec.indent(2));
    }

    private static List<FieldError> create(String spec) {
        return Trees.create("", "Service", true, svc(spec));
    }

    private static final String PORTS = "selector: {app: web}\nports: [{port: 80}]\n";

    @Test
    void defaultsFollowUpstream() {
        ObjectNode spec = (ObjectNode) svc(PORTS).get("spec");
        assertThat(spec.get("type").asText()).isEqualTo("ClusterIP");
        assertThat(spec.get("sessionAffinity").asText()).isEqualTo("None");
        assertThat(spec.at("/ports/0/protocol").asText()).isEqualTo("TCP");
        assertThat(spec.at("/ports/0/targetPort").asInt()).isEqualTo(80);
        assertThat(spec.get("ipFamilyPolicy").asText()).isEqualTo("SingleStack");
        assertThat(spec.at("/ipFamilies/0").asText()).isEqualTo("IPv4");
        assertThat(spec.get("internalTrafficPolicy").asText()).isEqualTo("Cluster");
        assertThat(spec.has("externalTrafficPolicy")).isFalse();
    }

    @Test
    void externallyReachableTypesGetTrafficPolicyAndNodePortAllocation() {
        ObjectNode spec = (ObjectNode) svc(PORTS + "type: LoadBalancer\n").get("spec");
        assertThat(spec.get("externalTrafficPolicy").asText()).isEqualTo("Cluster");
        assertThat(spec.get("allocateLoadBalancerNodePorts").asBoolean()).isTrue();
    }

    @Test
    void namedTargetPortsAndClientIpAffinityKeepOrGetTheirValues() {
        ObjectNode spec = (ObjectNode) svc("ports: [{port: 80, targetPort: http}]\nsessionAffinity: ClientIP\n")
                .get("spec");
        assertThat(spec.at("/ports/0/targetPort").asText()).isEqualTo("http");
        assertThat(spec.at("/sessionAffinityConfig/clientIP/timeoutSeconds").asInt()).isEqualTo(10800);
    }

    @Test
    void headlessServicesWithoutSelectorRequireDualStack() {
        ObjectNode spec = (ObjectNode) svc("clusterIP: None\n").get("spec");
        assertThat(spec.get("ipFamilyPolicy").asText()).isEqualTo("RequireDualStack");
        assertThat(spec.at("/clusterIPs/0").asText()).isEqualTo("None");
    }

    @Test
    void externalNameServicesGetNoIpFields() {
        ObjectNode spec = (ObjectNode) svc("type: ExternalName\nexternalName: db.example.com\n").get("spec");
        assertThat(spec.has("ipFamilies")).isFalse();
        assertThat(spec.has("internalTrafficPolicy")).isFalse();
    }

    @Test
    void defaultingIsIdempotent() {
        ObjectNode once = svc(PORTS + "clusterIP: 10.96.0.10\n");
        ObjectNode twice = once.deepCopy();
        BuiltinStrategies.defaulter("", "Service").apply(twice);
        assertThat(twice).isEqualTo(once);
    }

    @Test
    void typicalServicesAreValid() {
        assertThat(create(PORTS)).isEmpty();
        assertThat(create("clusterIP: None\nselector: {app: db}\n")).isEmpty();
        assertThat(create("type: ExternalName\nexternalName: db.example.com.\n")).isEmpty();
        assertThat(create("type: NodePort\n" + PORTS.replace("{port: 80}", "{port: 80, nodePort: 30080}"))).isEmpty();
    }

    @Test
    void portsAreRequiredUnlessHeadlessOrExternalName() {
        assertOnly(create("selector: {app: web}\n"), "spec.ports", Required);
    }

    @Test
    void portsAreInRangeNamedWhenSeveralAndUnique() {
        assertHas(create("ports: [{port: 0}]"), "spec.ports[0].port", Invalid);
        assertOnly(create("ports: [{port: 80, name: a}, {port: 81}]"), "spec.ports[1].name", Required);
        assertOnly(create("ports: [{port: 80, name: a}, {port: 81, name: a}]"), "spec.ports[1].name", Duplicate);
        assertOnly(create("ports: [{port: 80, name: a}, {port: 80, name: b}]"), "spec.ports[1]", Duplicate);
        assertThat(create("ports: [{port: 53, name: a}, {port: 53, name: b, protocol: UDP}]")).isEmpty();
        assertOnly(create("ports: [{port: 80, protocol: ICMP}]"), "spec.ports[0].protocol", NotSupported);
        assertOnly(create("ports: [{port: 80, targetPort: 'Web_Port'}]"), "spec.ports[0].targetPort", Invalid);
    }

    @Test
    void typeMustBeKnown() {
        FieldError e = assertOnly(create(PORTS + "type: Internal\n"), "spec.type", NotSupported);
        assertThat(e.message()).contains("\"ClusterIP\"", "\"NodePort\"", "\"LoadBalancer\"", "\"ExternalName\"");
    }

    @Test
    void nodePortsOnlyForExternallyReachableTypes() {
        FieldError e = assertOnly(create("ports: [{port: 80, nodePort: 30080}]"), "spec.ports[0].nodePort", Forbidden);
        assertThat(e.message()).isEqualTo("Forbidden: may not be used when `type` is 'ClusterIP'");
        assertOnly(create("type: NodePort\nclusterIP: None\nports: [{port: 80}]"), "spec.clusterIPs[0]", Invalid);
    }

    @Test
    void externalNameNeedsAHostAndNoClusterIp() {
        assertOnly(create("type: ExternalName"), "spec.externalName", Required);
        assertOnly(create("type: ExternalName\nexternalName: Not_A_Host"), "spec.externalName", Invalid);
        assertOnly(create("type: ExternalName\nexternalName: db.example.com\nclusterIP: 10.0.0.1"),
                "spec.clusterIPs", Forbidden);
    }

    @Test
    void clusterIpsAreAddresses() {
        assertOnly(create(PORTS + "clusterIP: 10.0.0.300\n"), "spec.clusterIPs[0]", Invalid);
        assertOnly(create(PORTS + "clusterIP: 10.0.0.1\nclusterIPs: [10.0.0.2]\n"), "spec.clusterIPs", Invalid);
    }

    @Test
    void affinityAndTrafficPoliciesAreChecked() {
        assertOnly(create(PORTS + "sessionAffinity: Sticky\n"), "spec.sessionAffinity", NotSupported);
        assertOnly(create(PORTS + "sessionAffinity: ClientIP\nsessionAffinityConfig: {clientIP: {timeoutSeconds: 0}}\n"),
                "spec.sessionAffinityConfig.clientIP.timeoutSeconds", Invalid);
        assertOnly(create(PORTS + "externalTrafficPolicy: Local\n"), "spec.externalTrafficPolicy", Invalid);
        assertOnly(create(PORTS + "internalTrafficPolicy: Nearby\n"), "spec.internalTrafficPolicy", NotSupported);
        assertOnly(create(PORTS + "ipFamilies: [IPv5]\n"), "spec.ipFamilies[0]", NotSupported);
    }

    @Test
    void kedgeTopologyAnnotationTakesUnitOrNode() {
        ObjectNode s = svc(PORTS);
        ((ObjectNode) s.get("metadata")).putObject("annotations").put("kedge.io/topology", "zone");
        assertOnly(Trees.create("", "Service", true, s), "metadata.annotations[kedge.io/topology]", NotSupported);
        ((ObjectNode) s.at("/metadata/annotations")).put("kedge.io/topology", "unit");
        assertThat(Trees.create("", "Service", true, s)).isEmpty();
    }

    @Test
    void serviceNamesAreDns1035Labels() {
        ObjectNode s = stored("", "Service", "metadata: {name: 1web, namespace: d}\nspec: {ports: [{port: 80}]}");
        assertOnly(Trees.create("", "Service", true, s), "metadata.name", Invalid);
    }

    @Test
    void clusterIpMayNotChangeOnceSet() {
        ObjectNode old = svc(PORTS + "clusterIP: 10.96.0.10\n");
        FieldError e = assertOnly(Trees.update("", "Service", true, svc(PORTS + "clusterIP: 10.96.0.11\n"), old),
                "spec.clusterIPs[0]", Invalid);
        assertThat(e.message()).endsWith("may not change once set");
    }

    @Test
    void anUpdateWithoutAllocatedValuesKeepsThem() {
        ObjectNode old = svc("type: NodePort\nclusterIP: 10.96.0.10\nports: [{port: 80, nodePort: 30080}]\n");
        ObjectNode now = svc("type: NodePort\nports: [{port: 80}]\nselector: {app: v2}\n");
        assertThat(Trees.update("", "Service", true, now, old)).isEmpty();
        assertThat(now.at("/spec/clusterIP").asText()).isEqualTo("10.96.0.10");
        assertThat(now.at("/spec/clusterIPs/0").asText()).isEqualTo("10.96.0.10");
        assertThat(now.at("/spec/ports/0/nodePort").asInt()).isEqualTo(30080);
    }

    @Test
    void changingToExternalNameMayDropTheClusterIp() {
        ObjectNode old = svc(PORTS + "clusterIP: 10.96.0.10\n");
        ObjectNode now = svc("type: ExternalName\nexternalName: db.example.com\n");
        assertThat(Trees.update("", "Service", true, now, old)).isEmpty();
    }
}
