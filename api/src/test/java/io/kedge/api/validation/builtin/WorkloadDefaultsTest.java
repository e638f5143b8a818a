package io.kedge.api.validation.builtin;

import static io.kedge.api.validation.Trees.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kedge.api.validation.BuiltinStrategies;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WorkloadDefaultsTest {
    static final String TEMPLATE = """
              template:
                metadata: {labels: {app: web}}
                spec:
                  containers: [{name: app, image: web:1}]
            """;

    private static ObjectNode defaulted(String group, String kind, String spec) {
        ObjectNode o = yaml("metadata: {name: w, namespace: d}\nspec:\n" + spec);
        BuiltinStrategies.defaulter(group, kind).apply(o);
        return o;
    }

    @Test
    void deploymentDefaults() {
        ObjectNode spec = (ObjectNode) defaulted("apps", "Deployment", "  selector: {matchLabels: {app: web}}\n"
                + TEMPLATE).get("spec");
        assertThat(spec.get("replicas").asInt()).isEqualTo(1);
        assertThat(spec.at("/strategy/type").asText()).isEqualTo("RollingUpdate");
        assertThat(spec.at("/strategy/rollingUpdate/maxSurge").asText()).isEqualTo("25%");
        assertThat(spec.at("/strategy/rollingUpdate/maxUnavailable").asText()).isEqualTo("25%");
        assertThat(spec.get("revisionHistoryLimit").asInt()).isEqualTo(10);
        assertThat(spec.get("progressDeadlineSeconds").asInt()).isEqualTo(600);
        assertThat(spec.at("/template/spec/restartPolicy").asText()).isEqualTo("Always");
        assertThat(spec.at("/template/spec/containers/0/imagePullPolicy").asText()).isEqualTo("IfNotPresent");
        assertThat(spec.at("/template/spec/enableServiceLinks").isMissingNode())
                .as("service links default only on pods").isTrue();
    }

    @Test
    void recreateDeploymentsGetNoRollingUpdate() {
        ObjectNode spec = (ObjectNode) defaulted("apps", "Deployment", "  strategy: {type: Recreate}\n").get("spec");
        assertThat(spec.at("/strategy/rollingUpdate").isMissingNode()).isTrue();
    }

    @Test
    void replicaSetDefaults() {
        ObjectNode spec = (ObjectNode) defaulted("apps", "ReplicaSet", TEMPLATE).get("spec");
        assertThat(spec.get("replicas").asInt()).isEqualTo(1);
        assertThat(spec.at("/template/spec/dnsPolicy").asText()).isEqualTo("ClusterFirst");
    }

    @Test
    void statefulSetDefaults() {
        ObjectNode spec = (ObjectNode) defaulted("apps", "StatefulSet", TEMPLATE + """
                  volumeClaimTemplates:
                  - metadata: {name: data}
                    spec: {accessModes: [ReadWriteOnce]}
                """).get("spec");
        assertThat(spec.get("replicas").asInt()).isEqualTo(1);
        assertThat(spec.get("podManagementPolicy").asText()).isEqualTo("OrderedReady");
        assertThat(spec.at("/updateStrategy/type").asText()).isEqualTo("RollingUpdate");
        assertThat(spec.at("/updateStrategy/rollingUpdate/partition").asInt()).isZero();
        assertThat(spec.get("revisionHistoryLimit").asInt()).isEqualTo(10);
        assertThat(spec.at("/persistentVolumeClaimRetentionPolicy/whenDeleted").asText()).isEqualTo("Retain");
        assertThat(spec.at("/persistentVolumeClaimRetentionPolicy/whenScaled").asText()).isEqualTo("Retain");
        assertThat(spec.at("/volumeClaimTemplates/0/spec/volumeMode").asText()).isEqualTo("Filesystem");
        assertThat(spec.at("/volumeClaimTemplates/0/status/phase").asText()).isEqualTo("Pending");
    }

    @Test
    void daemonSetDefaults() {
        ObjectNode spec = (ObjectNode) defaulted("apps", "DaemonSet", TEMPLATE).get("spec");
        assertThat(spec.at("/updateStrategy/type").asText()).isEqualTo("RollingUpdate");
        assertThat(spec.at("/updateStrategy/rollingUpdate/maxUnavailable").asInt()).isEqualTo(1);
        assertThat(spec.at("/updateStrategy/rollingUpdate/maxSurge").asInt()).isZero();
        assertThat(spec.get("revisionHistoryLimit").asInt()).isEqualTo(10);
    }

    @Test
    void jobDefaults() {
        ObjectNode job = defaulted("batch", "Job", TEMPLATE);
        ObjectNode spec = (ObjectNode) job.get("spec");
        assertThat(spec.get("completions").asInt()).isEqualTo(1);
        assertThat(spec.get("parallelism").asInt()).isEqualTo(1);
        assertThat(spec.get("backoffLimit").asInt()).isEqualTo(6);
        assertThat(spec.get("completionMode").asText()).isEqualTo("NonIndexed");
        assertThat(spec.get("suspend").asBoolean()).isFalse();
        assertThat(spec.get("podReplacementPolicy").asText()).isEqualTo("TerminatingOrFailed");
        assertThat(job.at("/metadata/labels/app").asText()).as("labels copied from the template").isEqualTo("web");
        assertThat(spec.at("/template/spec/restartPolicy").asText()).isEqualTo("Always");
    }

    @ParameterizedTest
    @CsvSource({"'  parallelism: 3', -1, 3", "'  completions: 5', 5, 1", "'  completions: 5\n  parallelism: 2', 5, 2"})
    void jobCompletionsAreOnlyDefaultedWhenNeitherIsGiven(String given, int completions, int parallelism) {
        ObjectNode spec = (ObjectNode) defaulted("batch", "Job", given + "\n").get("spec");
        assertThat(spec.path("completions").asInt(-1)).isEqualTo(completions);
        assertThat(spec.get("parallelism").asInt()).isEqualTo(parallelism);
    }

    @Test
    void jobWithPerIndexBackoffOrFailurePolicy() {
        ObjectNode spec = (ObjectNode) defaulted("batch", "Job",
                "  backoffLimitPerIndex: 1\n  podFailurePolicy: {rules: []}\n").get("spec");
        assertThat(spec.get("backoffLimit").asInt()).isEqualTo(Integer.MAX_VALUE);
        assertThat(spec.get("podReplacementPolicy").asText()).isEqualTo("Failed");
    }

    @Test
    void jobKeepsItsOwnLabels() {
        ObjectNode job = yaml("metadata: {name: j, labels: {mine: x}}\nspec:\n" + TEMPLATE);
        BuiltinStrategies.defaulter("batch", "Job").apply(job);
        assertThat(job.at("/metadata/labels").toString()).isEqualTo("{\"mine\":\"x\"}");
    }

    @Test
    void cronJobDefaultsItsOwnFieldsAndThePodTemplateOnly() {
        ObjectNode spec = (ObjectNode) defaulted("batch", "CronJob", """
                  schedule: '*/5 * * * *'
                  jobTemplate:
                    spec:
                """ + TEMPLATE.indent(4)).get("spec");
        assertThat(spec.get("concurrencyPolicy").asText()).isEqualTo("Allow");
        assertThat(spec.get("suspend").asBoolean()).isFalse();
        assertThat(spec.get("successfulJobsHistoryLimit").asInt()).isEqualTo(3);
        assertThat(spec.get("failedJobsHistoryLimit").asInt()).isEqualTo(1);
        assertThat(spec.at("/jobTemplate/spec/template/spec/schedulerName").asText()).isEqualTo("default-scheduler");
        assertThat(spec.at("/jobTemplate/spec/backoffLimit").isMissingNode()).isTrue();
    }

    @ParameterizedTest
    @CsvSource({"apps, Deployment", "apps, ReplicaSet", "apps, StatefulSet", "apps, DaemonSet", "batch, Job"})
    void workloadDefaultingIsIdempotent(String group, String kind) {
        ObjectNode once = defaulted(group, kind, TEMPLATE);
        ObjectNode twice = once.deepCopy();
        BuiltinStrategies.defaulter(group, kind).apply(twice);
        assertThat(twice).isEqualTo(once);
    }

    @Test
    void jobCreationGeneratesItsSelectorFromItsUid() {
        ObjectNode job = yaml("metadata: {name: j, namespace: d, uid: '1234'}\nspec:\n" + TEMPLATE);
        BuiltinStrategies.defaulter("batch", "Job").apply(job);
        BuiltinStrategies.createPreparer("batch", "Job").apply(job);
        assertThat(job.at("/spec/selector/matchLabels/batch.kubernetes.io~1controller-uid").asText())
                .isEqualTo("1234");
        ObjectNode labels = (ObjectNode) job.at("/spec/template/metadata/labels");
        assertThat(labels.get("batch.kubernetes.io/controller-uid").asText()).isEqualTo("1234");
        assertThat(labels.get("controller-uid").asText()).isEqualTo("1234");
        assertThat(labels.get("batch.kubernetes.io/job-name").asText()).isEqualTo("j");
        assertThat(labels.get("job-name").asText()).isEqualTo("j");
        assertThat(labels.get("app").asText()).isEqualTo("web");
    }

    @Test
    void manualSelectorJobsKeepTheirOwnSelector() {
        ObjectNode job = yaml("metadata: {name: j, uid: '1234'}\nspec:\n  manualSelector: true\n"
                + "  selector: {matchLabels: {app: web}}\n" + TEMPLATE);
        BuiltinStrategies.createPreparer("batch", "Job").apply(job);
        assertThat(job.at("/spec/selector").toString()).isEqualTo("{\"matchLabels\":{\"app\":\"web\"}}");
        assertThat(job.at("/spec/template/metadata/labels").size()).isEqualTo(1);
    }
}
