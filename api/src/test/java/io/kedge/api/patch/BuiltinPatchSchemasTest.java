package io.kedge.api.patch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BuiltinPatchSchemasTest {

    private static PatchSchema descend(PatchSchema schema, String... fields) {
        for (String field : fields) {
            schema = schema.child(field);
        }
        return schema;
    }

    @Test
    void deploymentPodTemplateReachesContainerFacts() {
        PatchSchema podSpec = descend(BuiltinPatchSchemas.forKind("apps/v1", "Deployment"), "spec", "template", "spec");
        PatchSchema container = podSpec.child("containers");

        assertThat(podSpec.strategyOf("containers")).isEqualTo(FieldStrategy.mergeByKey("name"));
        assertThat(podSpec.strategyOf("volumes")).isEqualTo(new FieldStrategy(PatchStrategy.MERGE_RETAIN_KEYS, "name"));
        assertThat(container.strategyOf("env")).isEqualTo(FieldStrategy.mergeByKey("name"));
        assertThat(container.strategyOf("ports")).isEqualTo(FieldStrategy.mergeByKey("containerPort"));
        assertThat(container.strategyOf("volumeMounts")).isEqualTo(FieldStrategy.mergeByKey("mountPath"));
        assertThat(container.strategyOf("volumeDevices")).isEqualTo(FieldStrategy.mergeByKey("devicePath"));
    }

    @Test
    void everyWorkloadKindReachesThePodSpec() {
        Map<String, String[]> paths = Map.of(
                "apps/v1 Deployment", new String[] {"spec", "template", "spec"},
                "apps/v1 ReplicaSet", new String[] {"spec", "template", "spec"},
                "apps/v1 StatefulSet", new String[] {"spec", "template", "spec"},
                "apps/v1 DaemonSet", new String[] {"spec", "template", "spec"},
                "batch/v1 Job", new String[] {"spec", "template", "spec"},
                "batch/v1 CronJob", new String[] {"spec", "jobTemplate", "spec", "template", "spec"},
                "v1 ReplicationController", new String[] {"spec", "template", "spec"},
                "v1 PodTemplate", new String[] {"template", "spec"},
                "v1 Pod", new String[] {"spec"});
        paths.forEach((kind, path) -> {
            String[] gvk = kind.split(" ");
            PatchSchema podSpec = descend(BuiltinPatchSchemas.forKind(gvk[0], gvk[1]), path);
            assertThat(podSpec.strategyOf("initContainers")).as(kind).isEqualTo(FieldStrategy.mergeByKey("name"));
        });
    }

    @Test
    void conditionsMergeByTypeOnEveryKindThatHasThem() {
        for (String kind : new String[] {"v1 Pod", "v1 Node", "v1 Namespace", "apps/v1 Deployment",
                "apps/v1 ReplicaSet", "apps/v1 StatefulSet", "apps/v1 DaemonSet", "batch/v1 Job",
                "v1 ReplicationController", "v1 PersistentVolumeClaim"}) {
            String[] gvk = kind.split(" ");
            PatchSchema status = BuiltinPatchSchemas.forKind(gvk[0], gvk[1]).child("status");
            assertThat(status.strategyOf("conditions")).as(kind).isEqualTo(FieldStrategy.mergeByKey("type"));
        }
        PatchSchema nodeStatus = BuiltinPatchSchemas.forKind("v1", "Node").child("status");
        assertThat(nodeStatus.strategyOf("addresses")).isEqualTo(FieldStrategy.mergeByKey("type"));
    }

    @Test
    void replacedListsDeclareNothing() {
        PatchSchema podSpec = BuiltinPatchSchemas.forKind("v1", "Pod").child("spec");

        assertThat(podSpec.strategyOf("tolerations")).isEqualTo(FieldStrategy.DEFAULT);
        assertThat(podSpec.child("containers").strategyOf("envFrom")).isEqualTo(FieldStrategy.DEFAULT);
        assertThat(descend(podSpec, "containers", "securityContext", "capabilities").strategyOf("add"))
                .isEqualTo(FieldStrategy.DEFAULT);
        assertThat(BuiltinPatchSchemas.forKind("v1", "Node").child("spec").strategyOf("taints"))
                .isEqualTo(FieldStrategy.DEFAULT);
    }

    @Test
    void unknownKindStillKnowsItsMetadata() {
        PatchSchema custom = BuiltinPatchSchemas.forKind("example.com/v1", "Widget");

        assertThat(BuiltinPatchSchemas.isBuiltinKind("example.com/v1", "Widget")).isFalse();
        assertThat(custom.child("metadata").strategyOf("finalizers")).isEqualTo(FieldStrategy.mergeAsSet());
        assertThat(custom.child("metadata").strategyOf("ownerReferences")).isEqualTo(FieldStrategy.mergeByKey("uid"));
        assertThat(custom.child("spec")).isEqualTo(PatchSchema.none());
    }

    @Test
    void factsByTypeCarryTheOpenApiExtensionValues() {
        Map<String, Map<String, FieldStrategy>> byType = BuiltinPatchSchemas.factsByType();

        FieldStrategy containers = byType.get("io.k8s.api.core.v1.PodSpec").get("containers");
        assertThat(containers.strategy().extensionValue()).hasValue("merge");
        assertThat(containers.mergeKeyIfAny()).hasValue("name");
        assertThat(byType.get("io.k8s.api.core.v1.PodSpec").get("volumes").strategy().extensionValue())
                .hasValue("merge,retainKeys");
        assertThat(byType.get("io.k8s.api.apps.v1.DeploymentSpec").get("strategy").strategy().extensionValue())
                .hasValue("retainKeys");
        assertThat(byType.get("io.k8s.api.core.v1.ServiceSpec").get("ports").mergeKey()).isEqualTo("port");
        assertThat(byType.get("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta").get("finalizers").mergeKey()).isNull();
    }

    @Test
    void tableHasOneFactPerField() {
        Set<String> seen = new HashSet<>();
        for (PatchFact fact : BuiltinPatchSchemas.facts()) {
            assertThat(seen.add(fact.type() + "." + fact.field())).as(fact.toString()).isTrue();
        }
        assertThat(BuiltinPatchSchemas.typeOfKind("apps/v1", "Deployment")).hasValue("io.k8s.api.apps.v1.Deployment");
    }

    @Test
    void strategiesReadBackFromTheirExtensionValues() {
        for (PatchStrategy strategy : PatchStrategy.values()) {
            assertThat(PatchStrategy.fromExtension(strategy.extensionValue().orElse(null))).isEqualTo(strategy);
        }
        assertThatThrownBy(() -> PatchStrategy.fromExtension("append")).hasMessageContaining("\"append\"");
    }

    @Test
    void mergeKeyWithoutAMergingStrategyIsRejected() {
        assertThatThrownBy(() -> new PatchFact("T", "f", PatchStrategy.REPLACE, "name"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
