package io.kedge.api.validation.builtin;

import static io.kedge.api.validation.FieldError.Reason.Forbidden;
import static io.kedge.api.validation.FieldError.Reason.Invalid;
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

class WorkloadValidationTest {
    private static final String SELECTOR = "selector: {matchLabels: {app: web}}\n";
    private static final String TEMPLATE = """
            template:
              metadata: {labels: {app: web}}
              spec:
                containers: [{name: app, image: web:1}]
            """;

    private static ObjectNode obj(String kind, String spec) {
        return stored("apps", kind, "metadata: {name: web, namespace: d, uid: u1}\nspec:\n" + spec.indent(2));
    }

    private static List<FieldError> create(String kind, String spec) {
        return Trees.create("apps", kind, true, obj(kind, spec));
    }

    private static List<FieldError> update(String kind, String spec, String oldSpec) {
        return Trees.update("apps", kind, true, obj(kind, spec), obj(kind, oldSpec));
    }

    @Test
    void validWorkloadsPass() {
        for (String kind : List.of("Deployment", "ReplicaSet", "StatefulSet", "DaemonSet")) {
            assertThat(create(kind, SELECTOR + TEMPLATE)).as(kind).isEmpty();
        }
    }

    @Test
    void selectorIsRequired() {
        for (String kind : List.of("Deployment", "ReplicaSet", "StatefulSet", "DaemonSet")) {
            assertOnly(create(kind, TEMPLATE), "spec.selector", Required);
        }
    }

    @Test
    void selectorMustMatchTheTemplateLabels() {
        FieldError e = assertOnly(create("Deployment", "selector: {matchLabels: {app: db}}\n" + TEMPLATE),
                "spec.template.metadata.labels", Invalid);
        assertThat(e.message()).endsWith("`selector` does not match template `labels`");
        assertOnly(create("StatefulSet", "selector: {matchExpressions: [{key: app, operator: NotIn, values: [web]}]}\n"
                + TEMPLATE), "spec.template.metadata.labels", Invalid);
    }

    @Test
    void emptySelectorsAreInvalid() {
        FieldError e = assertOnly(create("Deployment", "selector: {}\n" + TEMPLATE), "spec.selector", Invalid);
        assertThat(e.message()).endsWith("empty selector is invalid for deployment");
        assertOnly(create("DaemonSet", "selector: {matchLabels: {}}\n" + TEMPLATE), "spec.selector", Invalid);
    }

    @Test
    void replicasMayNotBeNegative() {
        FieldError e = assertOnly(create("Deployment", "replicas: -1\n" + SELECTOR + TEMPLATE), "spec.replicas",
                Invalid);
        assertThat(e.message()).isEqualTo("Invalid value: -1: must be greater than or equal to 0");
        assertOnly(create("StatefulSet", "replicas: -1\n" + SELECTOR + TEMPLATE), "spec.replicas", Invalid);
    }

    @Test
    void templatesAreValidatedAsPodSpecs() {
        assertOnly(create("Deployment", SELECTOR + TEMPLATE.replace("image: web:1", "ports: []")),
                "spec.template.spec.containers[0].image", Required);
        assertOnly(create("DaemonSet", SELECTOR + TEMPLATE.replace("name: app", "name: App")),
                "spec.template.spec.containers[0].name", Invalid);
        List<FieldError> errors = create("Deployment", SELECTOR.replace("web", "'a b'")
                + TEMPLATE.replace("app: web", "app: 'a b'"));
        assertHas(errors, "spec.selector.matchLabels", Invalid);
        assertHas(errors, "spec.template.metadata.labels", Invalid);
    }

    @Test
    void podsOfLongRunningControllersMustRestartAlways() {
        String never = TEMPLATE + "    restartPolicy: Never\n";
        for (String kind : List.of("Deployment", "ReplicaSet", "StatefulSet", "DaemonSet")) {
            FieldError e = assertOnly(create(kind, SELECTOR + never), "spec.template.spec.restartPolicy", NotSupported);
            assertThat(e.message()).endsWith("supported values: \"Always\"");
        }
        FieldError e = assertOnly(create("ReplicaSet", SELECTOR + TEMPLATE + "    activeDeadlineSeconds: 5\n"),
                "spec.template.spec.activeDeadlineSeconds", Forbidden);
        assertThat(e.message()).contains("activeDeadlineSeconds in ReplicaSet is not Supported");
    }

    @Test
    void deploymentStrategyRules() {
        assertOnly(create("Deployment", SELECTOR + TEMPLATE + "strategy: {type: Sometimes}\n"),
                "spec.strategy.type", NotSupported);
        FieldError e = assertOnly(create("Deployment", SELECTOR + TEMPLATE
                + "strategy: {type: Recreate, rollingUpdate: {maxSurge: 1}}\n"), "spec.strategy.rollingUpdate", Forbidden);
        assertThat(e.message()).contains("may not be specified when strategy `type` is 'Recreate'");
        assertOnly(create("Deployment", SELECTOR + TEMPLATE
                        + "strategy: {type: RollingUpdate, rollingUpdate: {maxSurge: 0, maxUnavailable: '0%'}}\n"),
                "spec.strategy.rollingUpdate.maxUnavailable", Invalid);
        assertOnly(create("Deployment", SELECTOR + TEMPLATE
                        + "strategy: {type: RollingUpdate, rollingUpdate: {maxUnavailable: '150%'}}\n"),
                "spec.strategy.rollingUpdate.maxUnavailable", Invalid);
        assertOnly(create("Deployment", SELECTOR + TEMPLATE
                        + "strategy: {type: RollingUpdate, rollingUpdate: {maxSurge: 'lots'}}\n"),
                "spec.strategy.rollingUpdate.maxSurge", Invalid);
        assertOnly(create("Deployment", SELECTOR + TEMPLATE + "minReadySeconds: 700\n"),
                "spec.progressDeadlineSeconds", Invalid);
    }

    @Test
    void statefulSetPolicyAndStrategyRules() {
        assertOnly(create("StatefulSet", SELECTOR + TEMPLATE + "podManagementPolicy: Random\n"),
                "spec.podManagementPolicy", Invalid);
        assertOnly(create("StatefulSet", SELECTOR + TEMPLATE + "updateStrategy: {type: OnDelete, rollingUpdate: {}}\n"),
                "spec.updateStrategy.rollingUpdate", Invalid);
        assertOnly(create("StatefulSet", SELECTOR + TEMPLATE
                + "updateStrategy: {type: RollingUpdate, rollingUpdate: {partition: -1}}\n"),
                "spec.updateStrategy.rollingUpdate.partition", Invalid);
        assertOnly(create("StatefulSet", SELECTOR + TEMPLATE
                + "persistentVolumeClaimRetentionPolicy: {whenDeleted: Keep}\n"),
                "spec.persistentVolumeClaimRetentionPolicy.whenDeleted", NotSupported);
    }

    @Test
    void statefulSetPodsMayMountTheirClaimTemplates() {
        assertThat(create("StatefulSet", SELECTOR + TEMPLATE.replace("image: web:1",
                "image: web:1, volumeMounts: [{name: data, mountPath: /data}]")
                + "volumeClaimTemplates: [{metadata: {name: data}, spec: {accessModes: [ReadWriteOnce]}}]\n"))
                .isEmpty();
    }

    @Test
    void statefulSetNamesAreDnsLabels() {
        ObjectNode sts = obj("StatefulSet", SELECTOR + TEMPLATE);
        ((ObjectNode) sts.get("metadata")).put("name", "web.v1");
        assertOnly(Trees.create("apps", "StatefulSet", true, sts), "metadata.name", Invalid);
    }

    @Test
    void daemonSetStrategyRules() {
        assertOnly(create("DaemonSet", SELECTOR + TEMPLATE
                        + "updateStrategy: {type: RollingUpdate, rollingUpdate: {maxUnavailable: 0, maxSurge: 0}}\n"),
                "spec.updateStrategy.rollingUpdate.maxUnavailable", Required);
        assertOnly(create("DaemonSet", SELECTOR + TEMPLATE
                        + "updateStrategy: {type: RollingUpdate, rollingUpdate: {maxUnavailable: 1, maxSurge: 1}}\n"),
                "spec.updateStrategy.rollingUpdate.maxSurge", Invalid);
        assertOnly(create("DaemonSet", SELECTOR + TEMPLATE + "updateStrategy: {type: Never}\n"),
                "spec.updateStrategy.type", NotSupported);
    }

    @Test
    void selectorsAreImmutable() {
        for (String kind : List.of("Deployment", "ReplicaSet", "DaemonSet")) {
            String before = SELECTOR + TEMPLATE;
            String after = "selector: {matchLabels: {app: web, tier: x}}\n"
                    + TEMPLATE.replace("{app: web}", "{app: web, tier: x}");
            FieldError e = assertOnly(update(kind, after, before), "spec.selector", Invalid);
            assertThat(e.message()).endsWith("field is immutable");
        }
    }

    @Test
    void deploymentsMayChangeTheirTemplateAndReplicas() {
        assertThat(update("Deployment", "replicas: 3\n" + SELECTOR + TEMPLATE.replace("web:1", "web:2"),
                SELECTOR + TEMPLATE)).isEmpty();
    }

    @Test
    void statefulSetUpdatesOnlyTouchTheMutableFields() {
        String before = SELECTOR + TEMPLATE + "serviceName: web\n";
        assertThat(update("StatefulSet", "replicas: 5\n" + before.replace("web:1", "web:2"), before)).isEmpty();
        FieldError e = assertOnly(update("StatefulSet", before.replace("serviceName: web", "serviceName: other"),
                before), "spec", Forbidden);
        assertThat(e.message()).contains("updates to statefulset spec for fields other than 'replicas'");
    }

    @Test
    void missingSpecIsReportedOnce() {
        List<FieldError> errors = Trees.create("apps", "Deployment", true,
                stored("apps", "Deployment", "metadata: {name: web, namespace: d}"));
        assertHas(errors, "spec.selector", Required);
        assertHas(errors, "spec.template", Required);
    }
}
