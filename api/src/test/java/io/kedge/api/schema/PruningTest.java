package io.kedge.api.schema;

import static io.kedge.api.schema.SchemaFixtures.cronTab;
import static io.kedge.api.schema.SchemaFixtures.object;
import static io.kedge.api.schema.SchemaFixtures.schema;
import static io.kedge.api.schema.SchemaFixtures.validCronTab;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class PruningTest {
    @Test
    void removesUnknownFieldsAtEveryLevelAndReportsThemSorted() {
        ObjectNode cron = object("""
                apiVersion: stable.example.com/v1
                kind: CronTab
                metadata: {name: c}
                rootJunk: 1
                spec:
                  cronSpec: '* * * * *'
                  image: img
                  extra: {deep: true}
                  workers:
                  - {name: a, color: red}
                  - {name: b}
                status: {replicas: 1, phase: Running}
                """);

        PruneResult result = cronTab().prune(cron);

        assertThat(result.prunedPaths())
                .containsExactly("rootJunk", "spec.extra", "spec.workers[0].color", "status.phase");
        assertThat(cron.has("rootJunk")).isFalse();
        assertThat(cron.path("spec").has("extra")).isFalse();
        assertThat(cron.at("/spec/workers/0").toString()).isEqualTo("{\"name\":\"a\"}");
        assertThat(cron.at("/status").toString()).isEqualTo("{\"replicas\":1}");
    }

    @Test
    void keepsApiVersionKindAndMetadataWholeAtTheRoot() {
        ObjectNode cron = object("""
                apiVersion: stable.example.com/v1
                kind: CronTab
                metadata: {name: c, labels: {a: b}, futureField: x}
                """);

        PruneResult result = schema("type: object\nproperties: {spec: {type: object}}").prune(cron);

        assertThat(result.isEmpty()).isTrue();
        assertThat(cron.at("/metadata/futureField").asText()).isEqualTo("x");
        assertThat(cron.path("apiVersion").asText()).isEqualTo("stable.example.com/v1");
    }

    @Test
    void keepsUnknownFieldsUnderPreserveUnknownFieldsButPrunesInsideDeclaredOnes() {
        ObjectNode cron = object("""
                spec:
                  config:
                    anything: {goes: [1, 2]}
                    mode: slow
                    tuning: {level: 3, secret: x}
                """);

        PruneResult result = cronTab().prune(cron);

        assertThat(result.prunedPaths()).containsExactly("spec.config.tuning.secret");
        assertThat(cron.at("/spec/config/anything/goes/1").asInt()).isEqualTo(2);
        assertThat(cron.at("/spec/config/tuning/level").asInt()).isEqualTo(3);
    }

    @Test
    void keepsAdditionalPropertiesValues() {
        ObjectNode cron = object("spec: {labels: {tier: web, zone: eu}}");

        assertThat(cronTab().prune(cron).isEmpty()).isTrue();
        assertThat(cron.at("/spec/labels").size()).isEqualTo(2);
    }

    @Test
    void keepsEverythingInsidePreservingEmbeddedResource() {
        ObjectNode cron = object("""
                spec:
                  template: {apiVersion: v1, kind: Pod, metadata: {name: p}, spec: {containers: [{name: c}]}}
                """);

        assertThat(cronTab().prune(cron).isEmpty()).isTrue();
        assertThat(cron.at("/spec/template/spec/containers/0/name").asText()).isEqualTo("c");
    }

    @Test
    void embeddedResourceWithoutPreserveKeepsTypeMetaButPrunesTheRest() {
        StructuralSchema embedding = schema("""
                type: object
                properties:
                  item:
                    type: object
                    x-kubernetes-embedded-resource: true
                    properties:
                      spec: {type: object, properties: {size: {type: integer}}}
                """);
        ObjectNode obj = object("item: {apiVersion: v1, kind: Thing, metadata: {name: t}, spec: {size: 1, junk: 2}, status: {}}");

        assertThat(embedding.prune(obj).prunedPaths()).containsExactly("item.spec.junk", "item.status");
        assertThat(obj.at("/item/metadata/name").asText()).isEqualTo("t");
        assertThat(obj.at("/item/kind").asText()).isEqualTo("Thing");
    }

    @Test
    void metaFieldsBelowTheRootArePrunedLikeAnyOtherField() {
        ObjectNode obj = object("spec: {kind: x, metadata: {}}");

        PruneResult result = schema("type: object\nproperties: {spec: {type: object}}").prune(obj);

        assertThat(result.prunedPaths()).containsExactly("spec.kind", "spec.metadata");
    }

    @Test
    void objectsInsideAnUntypedArrayLoseAllTheirFields() {
        StructuralSchema arrays = schema("type: object\nproperties: {list: {type: array, items: {type: array}}}");
        ObjectNode obj = object("list: [[{a: 1}, 2]]");

        assertThat(arrays.prune(obj).prunedPaths()).containsExactly("list[0][0].a");
        assertThat(obj.path("list").toString()).isEqualTo("[[{},2]]");
    }

    @Test
    void validObjectLosesNothing() {
        ObjectNode cron = validCronTab();
        String before = cron.toString();

        assertThat(cronTab().prune(cron).isEmpty()).isTrue();
        assertThat(cron.toString()).isEqualTo(before);
    }

    @Test
    void subresourceSchemaPrunesWithPathsRelativeToIt() {
        StructuralSchema status = cronTab().property("status").orElseThrow();
        ObjectNode value = object("{replicas: 2, apiVersion: v1}");

        assertThat(status.prune(value).prunedPaths()).containsExactly("apiVersion");
    }
}
