package io.kedge.api.schema;

import static io.kedge.api.schema.SchemaFixtures.cronTab;
import static io.kedge.api.schema.SchemaFixtures.object;
import static io.kedge.api.schema.SchemaFixtures.schema;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class DefaultingTest {
    @Test
    void fillsMissingFieldsAndKeepsGivenOnes() {
        ObjectNode cron = object("spec: {cronSpec: '* * * * *', image: img, policy: Replace}");

        cronTab().applyDefaults(cron);

        assertThat(cron.at("/spec/replicas").intValue()).isEqualTo(1);
        assertThat(cron.at("/spec/policy").asText()).isEqualTo("Replace");
        assertThat(cron.at("/spec/note").asText()).isEqualTo("n/a");
    }

    @Test
    void fillsDefaultsInsideArrayItems() {
        ObjectNode cron = object("spec: {workers: [{name: a}, {name: b, replicas: 4}]}");

        cronTab().applyDefaults(cron);

        assertThat(cron.at("/spec/workers/0/replicas").intValue()).isEqualTo(1);
        assertThat(cron.at("/spec/workers/1/replicas").intValue()).isEqualTo(4);
    }

    @Test
    void replacesNullOfNonNullableFieldWithItsDefault() {
        ObjectNode cron = object("spec: {replicas: null}");

        cronTab().applyDefaults(cron);

        assertThat(cron.at("/spec/replicas").intValue()).isEqualTo(1);
    }

    @Test
    void keepsNullOfNullableFieldEvenWithADefault() {
        ObjectNode cron = object("spec: {note: null, suspend: null}");

        cronTab().applyDefaults(cron);

        assertThat(cron.at("/spec/note").isNull()).isTrue();
        assertThat(cron.at("/spec/suspend").isNull()).isTrue();
    }

    @Test
    void dropsNullOfNonNullableFieldWithoutDefault() {
        ObjectNode cron = object("spec: {image: null, labels: {tier: null}}");

        cronTab().applyDefaults(cron);

        assertThat(cron.path("spec").has("image")).isFalse();
        assertThat(cron.at("/spec/labels").size()).isZero();
    }

    @Test
    void appliesDefaultsNestedInsideAnAppliedDefault() {
        ObjectNode cron = object("spec: {}");

        cronTab().applyDefaults(cron);

        assertThat(cron.at("/spec/resources").toString()).isEqualTo("{\"cpu\":\"100m\"}");
    }

    @Test
    void appliesDefaultsUnderPreserveUnknownFields() {
        ObjectNode cron = object("spec: {config: {anything: 1}}");

        cronTab().applyDefaults(cron);

        assertThat(cron.at("/spec/config/mode").asText()).isEqualTo("fast");
        assertThat(cron.at("/spec/config/anything").intValue()).isEqualTo(1);
    }

    @Test
    void doesNotCreateMissingParents() {
        ObjectNode cron = object("metadata: {name: x}");

        cronTab().applyDefaults(cron);

        assertThat(cron.has("spec")).isFalse();
    }

    @Test
    void fillsNullMapValuesAndArrayItemsFromTheirDefaults() {
        StructuralSchema withDefaults = schema("""
                type: object
                properties:
                  limits: {type: object, additionalProperties: {type: string, default: none}}
                  sizes: {type: array, items: {type: integer, default: 7}}
                """);
        ObjectNode obj = object("{limits: {cpu: null, mem: 1Gi}, sizes: [1, null]}");

        withDefaults.applyDefaults(obj);

        assertThat(obj.at("/limits/cpu").asText()).isEqualTo("none");
        assertThat(obj.at("/limits/mem").asText()).isEqualTo("1Gi");
        assertThat(obj.path("sizes").toString()).isEqualTo("[1,7]");
    }

    @Test
    void eachObjectGetsItsOwnCopyOfADefault() {
        StructuralSchema schema = cronTab();
        ObjectNode first = object("spec: {}");
        ObjectNode second = object("spec: {}");
        schema.applyDefaults(first);
        ((ObjectNode) first.at("/spec/resources")).put("cpu", "changed");

        schema.applyDefaults(second);

        assertThat(second.at("/spec/resources/cpu").asText()).isEqualTo("100m");
    }
}
