package io.kedge.api.validation.builtin;

import static io.kedge.api.validation.FieldError.Reason.Duplicate;
import static io.kedge.api.validation.FieldError.Reason.Forbidden;
import static io.kedge.api.validation.FieldError.Reason.Invalid;
import static io.kedge.api.validation.FieldError.Reason.NotFound;
import static io.kedge.api.validation.FieldError.Reason.NotSupported;
import static io.kedge.api.validation.FieldError.Reason.Required;
import static io.kedge.api.validation.Trees.assertHas;
import static io.kedge.api.validation.Trees.assertOnly;
import static io.kedge.api.validation.Trees.stored;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kedge.api.validation.FieldError;
import io.kedge.api.validation.Trees;
import java.util.List;
import org.junit.jupiter.api.Test;

class PodValidationTest {
    private static ObjectNode pod(String spec) {
        return stored("", "Pod", "metadata: {name: p, namespace: default, uid: u1}\nspec:\n" + spec.indent(2));
    }

    private static List<FieldError> create(String spec) {
        return Trees.create("", "Pod", true, pod(spec));
    }

    private static final String VALID = """
            containers:
            - name: app
              image: registry.local/app:1
              ports: [{containerPort: 8080, name: http}]
            """;

    @Test
    void aTypicalPodIsValid() {
        assertThat(create(VALID)).isEmpty();
    }

    @Test
    void containersAreRequired() {
        assertOnly(create("containers: []"), "spec.containers", Required);
        assertOnly(Trees.create("", "Pod", true, stored("", "Pod", "metadata: {name: p, namespace: d}")),
                "spec.containers", Required);
    }

    @Test
    void containerNameAndImageAreRequired() {
        List<FieldError> errors = create("containers: [{ports: []}]");
        assertHas(errors, "spec.containers[0].name", Required);
        assertHas(errors, "spec.containers[0].image", Required);
    }

    @Test
    void containerNamesAreDnsLabelsUniqueAcrossInitContainers() {
        assertOnly(create("containers: [{name: App, image: x}]"), "spec.containers[0].name", Invalid);
        assertOnly(create("containers: [{name: a, image: x}, {name: a, image: y}]"), "spec.containers[1].name",
                Duplicate);
        assertOnly(create("containers: [{name: a, image: x}]\ninitContainers: [{name: a, image: y}]"),
                "spec.initContainers[0].name", Duplicate);
    }

    @Test
    void podImagesMayNotHaveSurroundingWhitespace() {
        assertOnly(create("containers: [{name: a, image: ' busybox'}]"), "spec.containers[0].image", Invalid);
    }

    @Test
    void portsMustBeInRangeWithAKnownProtocol() {
        assertOnly(create("containers: [{name: a, image: x, ports: [{containerPort: 70000}]}]"),
                "spec.containers[0].ports[0].containerPort", Invalid);
        assertOnly(create("containers: [{name: a, image: x, ports: [{containerPort: 0}]}]"),
                "spec.containers[0].ports[0].containerPort", Required);
        FieldError e = assertOnly(create("containers: [{name: a, image: x, ports: [{containerPort: 80, protocol: HTTP}]}]"),
                "spec.containers[0].ports[0].protocol", NotSupported);
        assertThat(e.message()).contains("\"SCTP\", \"TCP\", \"UDP\"");
        assertOnly(create("containers: [{name: a, image: x, ports: [{containerPort: 80, hostPort: 0}, "
                + "{containerPort: 81, hostPort: 99999}]}]"), "spec.containers[0].ports[1].hostPort", Invalid);
    }

    @Test
    void portNamesAreUniqueServiceNames() {
        assertOnly(create("containers: [{name: a, image: x, ports: [{containerPort: 80, name: web}, "
                + "{containerPort: 81, name: web}]}]"), "spec.containers[0].ports[1].name", Duplicate);
        assertOnly(create("containers: [{name: a, image: x, ports: [{containerPort: 80, name: '80'}]}]"),
                "spec.containers[0].ports[0].name", Invalid);
    }

    @Test
    void hostPortsAreUniqueAcrossContainers() {
        assertOnly(create("containers: [{name: a, image: x, ports: [{containerPort: 80, hostPort: 80}]}, "
                        + "{name: b, image: y, ports: [{containerPort: 81, hostPort: 80}]}]"),
                "spec.containers[1].ports[0].hostPort", Duplicate);
    }

    @Test
    void restartAndDnsPoliciesAreFromTheirLists() {
        assertOnly(create(VALID + "restartPolicy: Sometimes\n"), "spec.restartPolicy", NotSupported);
        assertOnly(create(VALID + "dnsPolicy: Custom\n"), "spec.dnsPolicy", NotSupported);
        assertOnly(create(VALID + "dnsPolicy: None\n"), "spec.dnsConfig", Required);
        assertThat(create(VALID + "dnsPolicy: None\ndnsConfig: {nameservers: [10.0.0.10]}\n")).isEmpty();
    }

    @Test
    void mountsMustNameAVolumeAndBeUnique() {
        assertOnly(create("containers: [{name: a, image: x, volumeMounts: [{name: data, mountPath: /d}]}]"),
                "spec.containers[0].volumeMounts[0].name", NotFound);
        assertOnly(create("""
                containers: [{name: a, image: x, volumeMounts: [{name: v, mountPath: /d}, {name: v, mountPath: /d}]}]
                volumes: [{name: v}]
                """), "spec.containers[0].volumeMounts[1].mountPath", Invalid);
        assertOnly(create("""
                containers: [{name: a, image: x, volumeMounts: [{name: v, mountPath: /d, subPath: ../etc}]}]
                volumes: [{name: v}]
                """), "spec.containers[0].volumeMounts[0].subPath", Invalid);
    }

    @Test
    void volumesHaveUniqueNamesAndOneSource() {
        assertOnly(create(VALID + "volumes: [{name: v}, {name: v}]\n"), "spec.volumes[1].name", Duplicate);
        assertOnly(create(VALID + "volumes: [{name: v, emptyDir: {}, hostPath: {path: /x}}]\n"),
                "spec.volumes[0].hostPath", Forbidden);
        assertOnly(create(VALID + "volumes: [{name: v, hostPath: {path: /x, type: Folder}}]\n"),
                "spec.volumes[0].hostPath.type", NotSupported);
        assertOnly(create(VALID + "volumes: [{name: v, secret: {}}]\n"), "spec.volumes[0].secret.secretName",
                Required);
        assertOnly(create(VALID + "volumes: [{name: v, configMap: {name: c, defaultMode: 1000}}]\n"),
                "spec.volumes[0].configMap.defaultMode", Invalid);
    }

    @Test
    void envNeedsANameAndOneSource() {
        assertOnly(create("containers: [{name: a, image: x, env: [{value: v}]}]"), "spec.containers[0].env[0].name",
                Required);
        assertOnly(create("containers: [{name: a, image: x, env: [{name: A, value: v, valueFrom: "
                + "{fieldRef: {fieldPath: metadata.name}}}]}]"), "spec.containers[0].env[0].valueFrom", Invalid);
        assertOnly(create("containers: [{name: a, image: x, env: [{name: A, valueFrom: {}}]}]"),
                "spec.containers[0].env[0].valueFrom", Invalid);
    }

    @Test
    void probesNeedExactlyOneHandler() {
        assertOnly(create("containers: [{name: a, image: x, livenessProbe: {periodSeconds: 5}}]"),
                "spec.containers[0].livenessProbe", Required);
        assertOnly(create("containers: [{name: a, image: x, readinessProbe: {exec: {command: [/bin/true]}, "
                + "tcpSocket: {port: 80}}}]"), "spec.containers[0].readinessProbe.tcpSocket", Forbidden);
        assertOnly(create("containers: [{name: a, image: x, livenessProbe: {tcpSocket: {port: 80}, "
                + "successThreshold: 2}}]"), "spec.containers[0].livenessProbe.successThreshold", Invalid);
        assertOnly(create("initContainers: [{name: i, image: x, livenessProbe: {tcpSocket: {port: 80}}}]\n"
                + "containers: [{name: a, image: x}]"), "spec.initContainers[0].livenessProbe", Forbidden);
    }

    @Test
    void sidecarInitContainersOnlyRestartAlways() {
        assertThat(create("initContainers: [{name: s, image: x, restartPolicy: Always, "
                + "readinessProbe: {tcpSocket: {port: 80}}}]\ncontainers: [{name: a, image: x}]")).isEmpty();
        assertOnly(create("initContainers: [{name: s, image: x, restartPolicy: Never}]\n"
                + "containers: [{name: a, image: x}]"), "spec.initContainers[0].restartPolicy", NotSupported);
        assertOnly(create("containers: [{name: a, image: x, restartPolicy: Always}]"),
                "spec.containers[0].restartPolicy", Forbidden);
    }

    @Test
    void resourcesAreQuantitiesWithRequestsWithinLimits() {
        // Requests copied from a bad limit are reported too, as upstream does.
        assertHas(create("containers: [{name: a, image: x, resources: {limits: {cpu: lots}}}]"),
                "spec.containers[0].resources.limits[cpu]", Invalid);
        assertOnly(create("containers: [{name: a, image: x, resources: {limits: {cpu: 1}, requests: {cpu: 2}}}]"),
                "spec.containers[0].resources.requests[cpu]", Invalid);
        assertOnly(create("containers: [{name: a, image: x, resources: {requests: {gpu: 1}}}]"),
                "spec.containers[0].resources.requests[gpu]", Invalid);
        assertOnly(create("containers: [{name: a, image: x, resources: {requests: {example.com/gpu: 1}}}]"),
                "spec.containers[0].resources.limits[example.com/gpu]", Required);
        assertThat(create("containers: [{name: a, image: x, resources: {limits: {memory: 1Gi}, "
                + "requests: {memory: 512Mi, ephemeral-storage: 1G}}}]")).isEmpty();
    }

    @Test
    void tolerationsFollowOperatorAndEffectRules() {
        assertOnly(create(VALID + "tolerations: [{key: k, operator: Exists, value: v}]\n"),
                "spec.tolerations[0].operator", Invalid);
        assertOnly(create(VALID + "tolerations: [{operator: Equal, value: v}]\n"),
                "spec.tolerations[0].operator", Invalid);
        assertOnly(create(VALID + "tolerations: [{key: k, effect: NoRun}]\n"), "spec.tolerations[0].effect",
                NotSupported);
        assertOnly(create(VALID + "tolerations: [{key: k, effect: NoSchedule, tolerationSeconds: 5}]\n"),
                "spec.tolerations[0].effect", Invalid);
        assertThat(create(VALID + "tolerations: [{operator: Exists}, {key: kedge.io/unreachable, "
                + "effect: NoExecute, tolerationSeconds: 300}]\n")).isEmpty();
    }

    @Test
    void deadlineAndNamesInTheSpecAreChecked() {
        assertOnly(create(VALID + "activeDeadlineSeconds: 0\n"), "spec.activeDeadlineSeconds", Invalid);
        assertOnly(create(VALID + "nodeName: Node_1\n"), "spec.nodeName", Invalid);
        assertOnly(create(VALID + "hostname: a.b\n"), "spec.hostname", Invalid);
        assertOnly(create(VALID + "nodeSelector: {'bad key': x}\n"), "spec.nodeSelector", Invalid);
    }

    @Test
    void wrongTypesInTheSpecAreReportedNotThrown() {
        assertOnly(create("containers: 'app'"), "spec.containers", FieldError.Reason.TypeInvalid);
        assertOnly(create("containers: [{name: a, image: x, ports: [{containerPort: '80'}]}]"),
                "spec.containers[0].ports[0].containerPort", FieldError.Reason.TypeInvalid);
    }

    // ---- updates ---------------------------------------------------------------------------

    private static List<FieldError> update(String newSpec, String oldSpec) {
        return Trees.update("", "Pod", true, pod(newSpec), pod(oldSpec));
    }

    @Test
    void imagesMayChange() {
        assertThat(update(VALID.replace("app:1", "app:2"), VALID)).isEmpty();
    }

    @Test
    void otherSpecChangesAreForbiddenWithUpstreamsMessage() {
        FieldError e = assertOnly(update(VALID.replace("8080", "8081"), VALID), "spec", Forbidden);
        assertThat(e.message()).startsWith("Forbidden: pod updates may not change fields other than "
                + "`spec.containers[*].image`").contains("spec.containers[0].ports[0].containerPort");
    }

    @Test
    void containersMayNotBeAddedOrRemoved() {
        assertOnly(update(VALID + "- {name: b, image: y}\n", VALID), "spec.containers", Forbidden);
    }

    @Test
    void tolerationsMayOnlyBeAdded() {
        String one = VALID + "tolerations: [{key: a, operator: Exists}]\n";
        assertThat(update(VALID + "tolerations: [{key: a, operator: Exists}, {key: b, operator: Exists}]\n", one))
                .isEmpty();
        assertOnly(update(VALID + "tolerations: [{key: b, operator: Exists}]\n", one), "spec.tolerations", Forbidden);
    }

    @Test
    void activeDeadlineMayOnlyShrink() {
        String before = VALID + "activeDeadlineSeconds: 100\n";
        assertThat(update(VALID + "activeDeadlineSeconds: 50\n", before)).isEmpty();
        assertOnly(update(VALID + "activeDeadlineSeconds: 200\n", before), "spec.activeDeadlineSeconds", Invalid);
        assertOnly(update(VALID, before), "spec.activeDeadlineSeconds", Invalid);
        assertThat(update(VALID + "activeDeadlineSeconds: 50\n", VALID)).isEmpty();
    }

    @Test
    void gracePeriodMayOnlyGoFromNegativeToOne() {
        assertThat(update(VALID + "terminationGracePeriodSeconds: 1\n", VALID + "terminationGracePeriodSeconds: -1\n"))
                .isEmpty();
        assertOnly(update(VALID + "terminationGracePeriodSeconds: 10\n", VALID), "spec", Forbidden);
    }

    @Test
    void labelsMayChangeFreely() {
        ObjectNode now = pod(VALID);
        ((ObjectNode) now.get("metadata")).putObject("labels").put("tier", "edge");
        assertThat(Trees.update("", "Pod", true, now, pod(VALID))).isEmpty();
    }
}
