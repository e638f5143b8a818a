package io.kedge.api.validation.builtin;

import static io.kedge.api.validation.Trees.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kedge.api.validation.BuiltinStrategies;
import org.junit.jupiter.api.Test;

class PodDefaultsTest {
    private static ObjectNode defaulted(String text) {
        ObjectNode pod = yaml(text);
        BuiltinStrategies.defaulter("", "Pod").apply(pod);
        return pod;
    }

    private static final String POD = """
            metadata: {name: p, namespace: default}
            spec:
              containers:
              - name: app
                image: registry.local/app:1.2
                ports: [{containerPort: 8080}]
            """;

    @Test
    void podSpecGetsUpstreamDefaults() {
        ObjectNode spec = (ObjectNode) defaulted(POD).get("spec");
        assertThat(spec.get("restartPolicy").asText()).isEqualTo("Always");
        assertThat(spec.get("dnsPolicy").asText()).isEqualTo("ClusterFirst");
        assertThat(spec.get("schedulerName").asText()).isEqualTo("default-scheduler");
        assertThat(spec.get("terminationGracePeriodSeconds").asInt()).isEqualTo(30);
        assertThat(spec.get("securityContext").isObject()).isTrue();
        assertThat(spec.get("securityContext").size()).isZero();
        assertThat(spec.get("enableServiceLinks").asBoolean()).isTrue();
    }

    @Test
    void containersGetMessagePathPolicyAndPortProtocol() {
        ObjectNode c = (ObjectNode) defaulted(POD).at("/spec/containers/0");
        assertThat(c.get("terminationMessagePath").asText()).isEqualTo("/dev/termination-log");
        assertThat(c.get("terminationMessagePolicy").asText()).isEqualTo("File");
        assertThat(c.at("/ports/0/protocol").asText()).isEqualTo("TCP");
        assertThat(c.get("imagePullPolicy").asText()).isEqualTo("IfNotPresent");
    }

    @Test
    void pullPolicyIsAlwaysForLatestOrUntaggedImages() {
        assertThat(pullPolicy("busybox")).isEqualTo("Always");
        assertThat(pullPolicy("busybox:latest")).isEqualTo("Always");
        assertThat(pullPolicy("localhost:5000/busybox")).isEqualTo("Always");
        assertThat(pullPolicy("localhost:5000/busybox:1.36")).isEqualTo("IfNotPresent");
        assertThat(pullPolicy("busybox@sha256:" + "a".repeat(64))).isEqualTo("IfNotPresent");
        assertThat(pullPolicy("busybox:latest@sha256:" + "a".repeat(64))).isEqualTo("Always");
    }

    private static String pullPolicy(String image) {
        return defaulted("spec: {containers: [{name: a, image: '" + image + "'}]}")
                .at("/spec/containers/0/imagePullPolicy").asText();
    }

    @Test
    void givenValuesAreKept() {
        ObjectNode pod = defaulted("""
                spec:
                  restartPolicy: Never
                  terminationGracePeriodSeconds: 5
                  enableServiceLinks: false
                  containers: [{name: a, image: busybox, imagePullPolicy: Never, ports: [{containerPort: 53, protocol: UDP}]}]
                """);
        assertThat(pod.at("/spec/restartPolicy").asText()).isEqualTo("Never");
        assertThat(pod.at("/spec/terminationGracePeriodSeconds").asInt()).isEqualTo(5);
        assertThat(pod.at("/spec/enableServiceLinks").asBoolean()).isFalse();
        assertThat(pod.at("/spec/containers/0/imagePullPolicy").asText()).isEqualTo("Never");
        assertThat(pod.at("/spec/containers/0/ports/0/protocol").asText()).isEqualTo("UDP");
    }

    @Test
    void probesGetTimingsAndHttpDefaults() {
        ObjectNode probe = (ObjectNode) defaulted("""
                spec:
                  containers:
                  - name: a
                    image: x
                    livenessProbe: {httpGet: {port: 80}}
                    lifecycle: {preStop: {httpGet: {port: 80}}}
                """).at("/spec/containers/0/livenessProbe");
        assertThat(probe.get("timeoutSeconds").asInt()).isEqualTo(1);
        assertThat(probe.get("periodSeconds").asInt()).isEqualTo(10);
        assertThat(probe.get("successThreshold").asInt()).isEqualTo(1);
        assertThat(probe.get("failureThreshold").asInt()).isEqualTo(3);
        assertThat(probe.at("/httpGet/path").asText()).isEqualTo("/");
        assertThat(probe.at("/httpGet/scheme").asText()).isEqualTo("HTTP");
    }

    @Test
    void lifecycleHooksAndFieldRefsGetDefaults() {
        ObjectNode c = (ObjectNode) defaulted("""
                spec:
                  containers:
                  - name: a
                    image: x
                    lifecycle: {preStop: {httpGet: {port: 80}}}
                    env: [{name: NODE, valueFrom: {fieldRef: {fieldPath: spec.nodeName}}}]
                """).at("/spec/containers/0");
        assertThat(c.at("/lifecycle/preStop/httpGet/path").asText()).isEqualTo("/");
        assertThat(c.at("/env/0/valueFrom/fieldRef/apiVersion").asText()).isEqualTo("v1");
    }

    @Test
    void volumesGetASourceAndFileModes() {
        ObjectNode spec = (ObjectNode) defaulted("""
                spec:
                  containers: [{name: a, image: x}]
                  volumes:
                  - name: scratch
                  - {name: s, secret: {secretName: s}}
                  - {name: c, configMap: {name: c}}
                  - {name: h, hostPath: {path: /data}}
                  - name: t
                    projected: {sources: [{serviceAccountToken: {path: token}}]}
                """).get("spec");
        assertThat(spec.at("/volumes/0/emptyDir").isObject()).isTrue();
        assertThat(spec.at("/volumes/1/secret/defaultMode").asInt()).isEqualTo(420);
        assertThat(spec.at("/volumes/2/configMap/defaultMode").asInt()).isEqualTo(420);
        assertThat(spec.at("/volumes/3/hostPath/type").asText()).isEmpty();
        assertThat(spec.at("/volumes/3/hostPath/type").isTextual()).isTrue();
        assertThat(spec.at("/volumes/4/projected/defaultMode").asInt()).isEqualTo(420);
        assertThat(spec.at("/volumes/4/projected/sources/0/serviceAccountToken/expirationSeconds").asInt())
                .isEqualTo(3600);
    }

    @Test
    void limitsWithoutRequestsBecomeRequests() {
        ObjectNode c = (ObjectNode) defaulted("""
                spec:
                  containers:
                  - {name: a, image: x, resources: {limits: {cpu: 500m, memory: 64Mi}, requests: {cpu: 100m}}}
                """).at("/spec/containers/0/resources");
        assertThat(c.at("/requests/cpu").asText()).isEqualTo("100m");
        assertThat(c.at("/requests/memory").asText()).isEqualTo("64Mi");
    }

    @Test
    void hostNetworkPodsExposeContainerPortsOnTheHost() {
        ObjectNode pod = defaulted("""
                spec:
                  hostNetwork: true
                  containers: [{name: a, image: x, ports: [{containerPort: 9100}]}]
                """);
        assertThat(pod.at("/spec/containers/0/ports/0/hostPort").asInt()).isEqualTo(9100);
    }

    @Test
    void defaultingIsIdempotent() {
        ObjectNode once = defaulted(POD + """
                  volumes: [{name: v}]
                """);
        ObjectNode twice = once.deepCopy();
        BuiltinStrategies.defaulter("", "Pod").apply(twice);
        assertThat(twice).isEqualTo(once);
    }

    @Test
    void aPodWithoutSpecOrWithWrongTypesIsLeftForValidation() {
        ObjectNode pod = defaulted("{metadata: {name: p}, spec: {containers: 'oops', volumes: [1]}}");
        assertThat(pod.at("/spec/containers").asText()).isEqualTo("oops");
        ObjectNode bare = defaulted("{metadata: {name: p}}");
        assertThat(bare.has("spec")).isFalse();
    }

    @Test
    void creationSetsPendingPhaseAndQosClass() {
        assertThat(qos("{}")).isEqualTo("BestEffort");
        assertThat(qos("{limits: {cpu: '1', memory: 1Gi}}")).isEqualTo("Guaranteed");
        assertThat(qos("{limits: {cpu: '1', memory: 1Gi}, requests: {cpu: 1000m}}")).isEqualTo("Guaranteed");
        assertThat(qos("{requests: {cpu: 100m}}")).isEqualTo("Burstable");
        assertThat(qos("{limits: {cpu: '1'}}")).isEqualTo("Burstable");
        assertThat(qos("{limits: {cpu: '1', memory: 1Gi}, requests: {cpu: 500m}}")).isEqualTo("Burstable");
    }

    private static String qos(String resources) {
        ObjectNode pod = defaulted("spec: {containers: [{name: a, image: x, resources: " + resources + "}]}");
        pod.putObject("status").put("phase", "Running");
        BuiltinStrategies.createPreparer("", "Pod").apply(pod);
        assertThat(pod.at("/status/phase").asText()).isEqualTo("Pending");
        return pod.at("/status/qosClass").asText();
    }
}
