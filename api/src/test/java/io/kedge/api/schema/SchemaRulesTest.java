package io.kedge.api.schema;

import static io.kedge.api.schema.SchemaFixtures.CRON_TAB;
import static io.kedge.api.schema.SchemaFixtures.yaml;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class SchemaRulesTest {
    private static List<SchemaError> check(String schemaYaml) {
        return StructuralSchema.validateSchema(yaml(schemaYaml));
    }

    private static List<String> fields(String schemaYaml) {
        return check(schemaYaml).stream().map(SchemaError::field).toList();
    }

    @Test
    void acceptsTheCronTabSchema() {
        assertThat(check(CRON_TAB)).isEmpty();
    }

    @Test
    void requiresTypeOnFieldsAndItemsUnlessIntOrStringOrPreserved() {
        assertThat(check("""
                type: object
                properties:
                  spec:
                    type: object
                    properties:
                      untyped: {}
                      list: {type: array, items: {minimum: 1}}
                      free: {x-kubernetes-preserve-unknown-fields: true}
                      port: {x-kubernetes-int-or-string: true}
                """)).containsExactly(
                new SchemaError("properties[spec].properties[untyped].type", "FieldValueRequired",
                        "Required value: must not be empty for specified object fields"),
                new SchemaError("properties[spec].properties[list].items.type", "FieldValueRequired",
                        "Required value: must not be empty for specified array items"));
    }

    @Test
    void rootMustBeAnObject() {
        assertThat(check("type: string")).containsExactly(
                new SchemaError("type", "FieldValueInvalid", "Invalid value: \"string\": must be object at the root"));
        assertThat(check("properties: {}")).containsExactly(
                new SchemaError("type", "FieldValueRequired", "Required value: must not be empty at the root"));
        assertThat(StructuralSchema.validateSchema(yaml("[1]"))).extracting(SchemaError::message)
                .containsExactly("Invalid value: [1]: must be a schema object");
    }

    @Test
    void forbidsAdditionalPropertiesBesideProperties() {
        assertThat(check("""
                type: object
                properties:
                  spec: {type: object, properties: {a: {type: string}}, additionalProperties: {type: string}}
                """)).containsExactly(new SchemaError("properties[spec].additionalProperties", "FieldValueForbidden",
                "Forbidden: additionalProperties and properties are mutual exclusive"));
        assertThat(fields("type: object\nadditionalProperties: {type: string}")).containsExactly("additionalProperties");
    }

    @Test
    void requiresItemsOnArrays() {
        assertThat(fields("type: object\nproperties: {list: {type: array}}")).containsExactly("properties[list].items");
    }

    @Test
    void junctorsMayNotDeclareTypesExceptTheIntOrStringAnyOf() {
        assertThat(check("""
                type: object
                properties:
                  a: {type: string, anyOf: [{type: string, maxLength: 3}]}
                  b: {x-kubernetes-int-or-string: true, anyOf: [{type: integer}, {type: string}]}
                  c: {x-kubernetes-int-or-string: true, allOf: [{anyOf: [{type: integer}, {type: string}]}, {pattern: x}]}
                """)).containsExactly(new SchemaError("properties[a].anyOf[0].type", "FieldValueForbidden",
                "Forbidden: must be empty to be structural"));
    }

    @Test
    void junctorsMayNotCarryDefaultsDescriptionsOrExtensions() {
        assertThat(fields("""
                type: object
                properties:
                  a:
                    type: object
                    properties: {x: {type: string}}
                    oneOf:
                    - default: {}
                      description: d
                      nullable: true
                      x-kubernetes-preserve-unknown-fields: true
                      properties: {metadata: {}}
                """)).contains("properties[a].oneOf[0].default", "properties[a].oneOf[0].description",
                "properties[a].oneOf[0].nullable", "properties[a].oneOf[0].x-kubernetes-preserve-unknown-fields",
                "properties[a].oneOf[0].properties[metadata]");
    }

    @Test
    void fieldsNamedInJunctorsMustBeDeclared() {
        assertThat(check("""
                type: object
                properties:
                  spec: {type: object, properties: {a: {type: string}}, anyOf: [{required: [a]}, {properties: {b: {minLength: 1}}}]}
                """)).containsExactly(new SchemaError("properties[spec].properties[b]", "FieldValueRequired",
                "Required value: because it is defined in properties[spec].anyOf[1].properties[b]"));
    }

    @Test
    void rootMetadataMayOnlyRestrictNameAndGenerateName() {
        assertThat(check("""
                type: object
                properties:
                  metadata: {type: object, properties: {name: {type: string, maxLength: 10}}}
                """)).isEmpty();
        assertThat(check("""
                type: object
                properties:
                  metadata: {type: object, properties: {labels: {type: object}}}
                """)).containsExactly(new SchemaError("properties[metadata]", "FieldValueForbidden",
                "Forbidden: must not specify anything other than name and generateName, but metadata is implicitly specified"));
    }

    @Test
    void forbidsDefaultsInTopLevelMetadata() {
        assertThat(fields("type: object\nproperties: {metadata: {type: object, default: {name: x}}}"))
                .contains("properties[metadata].default");
    }

    @Test
    void embeddedResourceNeedsObjectTypeAndFields() {
        assertThat(check("""
                type: object
                properties:
                  t: {type: object, x-kubernetes-embedded-resource: true}
                """)).containsExactly(new SchemaError("properties[t].properties", "FieldValueRequired",
                "Required value: must not be empty if x-kubernetes-embedded-resource is true without "
                        + "x-kubernetes-preserve-unknown-fields"));
        assertThat(fields("type: object\nproperties: {t: {type: string, x-kubernetes-embedded-resource: true, "
                + "x-kubernetes-preserve-unknown-fields: true}}")).containsExactly("properties[t].type");
    }

    @Test
    void listTypeRules() {
        assertThat(check("""
                type: object
                properties:
                  a: {type: array, x-kubernetes-list-type: bag, items: {type: string}}
                  b:
                    type: array
                    x-kubernetes-list-type: map
                    x-kubernetes-list-map-keys: [id]
                    items: {type: object, properties: {name: {type: string}}}
                  c:
                    type: array
                    x-kubernetes-list-type: map
                    x-kubernetes-list-map-keys: [name]
                    items: {type: object, properties: {name: {type: string}}}
                """)).containsExactly(
                new SchemaError("properties[a].x-kubernetes-list-type", "FieldValueNotSupported",
                        "Unsupported value: \"bag\": supported values: \"atomic\", \"set\", \"map\""),
                new SchemaError("properties[b].x-kubernetes-list-map-keys", "FieldValueInvalid",
                        "Invalid value: [\"id\"]: entries must all be names of item properties"),
                new SchemaError("properties[c].items.properties[name].default", "FieldValueRequired",
                        "Required value: this property is in x-kubernetes-list-map-keys, so it must have a default "
                                + "or be a required property"));
    }

    @Test
    void defaultsMustValidateAndBePruned() {
        assertThat(check("""
                type: object
                properties:
                  spec:
                    type: object
                    properties:
                      replicas: {type: integer, minimum: 1, default: 0}
                      opts: {type: object, properties: {a: {type: string}}, default: {a: x, b: y}}
                """)).containsExactly(
                new SchemaError("properties[spec].properties[replicas].default", "FieldValueInvalid",
                        "Invalid value: 0: properties[spec].properties[replicas].default in body should be greater "
                                + "than or equal to 1"),
                new SchemaError("properties[spec].properties[opts].default", "FieldValueInvalid",
                        "Invalid value: {\"a\":\"x\",\"b\":\"y\"}: must not have unknown fields"));
    }

    @Test
    void forbidsKeywordsCrdsDoNotSupport() {
        assertThat(fields("""
                type: object
                nullable: true
                properties:
                  a: {$ref: '#/definitions/x'}
                  b: {type: array, uniqueItems: true, items: {type: string}}
                  c: {type: 'null'}
                  d: {type: strin}
                  e: {type: string, x-kubernetes-preserve-unknown-fields: false}
                """)).containsExactly("nullable", "properties[a].$ref", "properties[a].type",
                "properties[b].uniqueItems", "properties[c].type", "properties[d].type",
                "properties[e].x-kubernetes-preserve-unknown-fields");
    }

    @Test
    void unreadableSchemaIsOneErrorAtTheKeyword() {
        assertThat(check("type: object\nproperties: {spec: {type: object, properties: {n: {type: integer, minimum: low}}}}"))
                .containsExactly(new SchemaError("properties[spec].properties[n].minimum", "FieldValueInvalid",
                        "Invalid value: \"low\": must be a number"));
        assertThat(check("type: object\nproperties: {s: {type: string, pattern: '(unclosed'}}"))
                .extracting(SchemaError::field).containsExactly("properties[s].pattern");
    }

    @Test
    void parseRejectsGarbageWithThePath() {
        assertThatThrownBy(() -> StructuralSchema.parse(yaml("type: object\nproperties: {a: {type: 5}}")))
                .isInstanceOf(SchemaException.class)
                .hasMessage("properties[a].type: must be a string");
        assertThatThrownBy(() -> StructuralSchema.parse(yaml("type: object\nrequired: [1]")))
                .isInstanceOf(SchemaException.class)
                .hasMessage("required[0]: must be a string");
        assertThatThrownBy(() -> StructuralSchema.parse(null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("openApiV3Schema must not be null");
    }
}
