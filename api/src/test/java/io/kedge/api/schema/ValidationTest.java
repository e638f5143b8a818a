package io.kedge.api.schema;

import static io.kedge.api.schema.SchemaFixtures.cronTab;
import static io.kedge.api.schema.SchemaFixtures.object;
import static io.kedge.api.schema.SchemaFixtures.schema;
import static io.kedge.api.schema.SchemaFixtures.validCronTab;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;

class ValidationTest {
    private static List<SchemaError> errorsWithSpec(String field, Object value) {
        ObjectNode cron = validCronTab();
        ObjectNode spec = (ObjectNode) cron.get("spec");
        spec.set(field, SchemaFixtures.yaml(String.valueOf(value)));
        return cronTab().validate(cron);
    }

    private static SchemaError error(String field, String reason, String message) {
        return new SchemaError(field, reason, message);
    }

    @Test
    void validObjectHasNoErrors() {
        assertThat(cronTab().validate(validCronTab())).isEmpty();
    }

    @Test
    void wrongTypeIsTypeInvalidWithTheActualType() {
        assertThat(errorsWithSpec("replicas", "'3'")).containsExactly(error("spec.replicas", "FieldValueTypeInvalid",
                "Invalid value: \"string\": spec.replicas in body must be of type integer: \"string\""));
    }

    @Test
    void wholeFloatingNumberCountsAsInteger() {
        assertThat(errorsWithSpec("replicas", "3.0")).isEmpty();
        assertThat(errorsWithSpec("replicas", "3.5")).extracting(SchemaError::message).containsExactly(
                "Invalid value: \"number\": spec.replicas in body must be of type integer: \"number\"");
    }

    @Test
    void missingRequiredFieldIsRequired() {
        ObjectNode cron = validCronTab();
        ((ObjectNode) cron.get("spec")).remove("image");

        assertThat(cronTab().validate(cron)).containsExactly(error("spec.image", "FieldValueRequired", "Required value"));
    }

    @Test
    void patternMismatchIsInvalidAndQuotesThePattern() {
        assertThat(errorsWithSpec("cronSpec", "every minute")).containsExactly(error("spec.cronSpec", "FieldValueInvalid",
                "Invalid value: \"every minute\": spec.cronSpec in body should match "
                        + "'^(\\d+|\\*)(/\\d+)?(\\s+(\\d+|\\*)(/\\d+)?){4}$'"));
    }

    @Test
    void patternIsAnUnanchoredSearchLikeGo() {
        StructuralSchema s = schema("type: object\nproperties: {name: {type: string, pattern: 'b+'}}");

        assertThat(s.validate(object("name: abbbc"))).isEmpty();
        assertThat(s.validate(object("name: ac"))).hasSize(1);
    }

    @Test
    void boundsAreInclusiveUnlessExclusive() {
        assertThat(errorsWithSpec("replicas", "0")).containsExactly(error("spec.replicas", "FieldValueInvalid",
                "Invalid value: 0: spec.replicas in body should be greater than or equal to 1"));
        assertThat(errorsWithSpec("replicas", "11")).containsExactly(error("spec.replicas", "FieldValueInvalid",
                "Invalid value: 11: spec.replicas in body should be less than or equal to 10"));
        assertThat(errorsWithSpec("replicas", "10")).isEmpty();
        assertThat(errorsWithSpec("workers", "[{name: a, weight: 0}]")).containsExactly(error("spec.workers[0].weight",
                "FieldValueInvalid", "Invalid value: 0: spec.workers[0].weight in body should be greater than 0"));
    }

    @Test
    void multipleOfUsesExactDecimals() {
        assertThat(errorsWithSpec("workers", "[{name: a, weight: 2.5}]")).isEmpty();
        assertThat(errorsWithSpec("workers", "[{name: a, weight: 0.7}]")).containsExactly(error("spec.workers[0].weight",
                "FieldValueInvalid", "Invalid value: 0.7: spec.workers[0].weight in body should be a multiple of 0.5"));
    }

    @Test
    void tooLongStringIsTooLongWithoutRepeatingTheValue() {
        assertThat(errorsWithSpec("image", "x".repeat(65))).containsExactly(
                error("spec.image", "FieldValueTooLong", "Too long: may not be longer than 64"));
    }

    @Test
    void stringLengthCountsCharactersNotUtf16Units() {
        assertThat(errorsWithSpec("labels", "{tier: '\uD83D\uDE00\uD83D\uDE00\uD83D\uDE00\uD83D\uDE00\uD83D\uDE00'}")).isEmpty();
    }

    @Test
    void tooShortStringIsInvalid() {
        assertThat(errorsWithSpec("workers", "[{name: ''}]")).containsExactly(error("spec.workers[0].name",
                "FieldValueInvalid", "Invalid value: \"\": spec.workers[0].name in body should be at least 1 chars long"));
    }

    @Test
    void valueOutsideEnumIsNotSupportedListingTheChoices() {
        assertThat(errorsWithSpec("policy", "Sometimes")).containsExactly(error("spec.policy", "FieldValueNotSupported",
                "Unsupported value: \"Sometimes\": supported values: \"Allow\", \"Forbid\", \"Replace\""));
    }

    @Test
    void emptyEnumConstrainsNothing() {
        assertThat(schema("type: object\nproperties: {e: {type: string, enum: []}}").validate(object("e: any"))).isEmpty();
    }

    @Test
    void tooManyItemsIsTooMany() {
        assertThat(errorsWithSpec("workers", "[{name: a}, {name: b}, {name: c}, {name: d}, {name: e}, {name: f}]"))
                .containsExactly(error("spec.workers", "FieldValueTooMany", "Too many: 6: must have at most 5 items"));
    }

    @Test
    void listMapRejectsRepeatedKeysAndNonObjects() {
        assertThat(errorsWithSpec("workers", "[{name: a}, {name: b}, {name: a, replicas: 2}]")).containsExactly(
                error("spec.workers[2]", "FieldValueDuplicate", "Duplicate value: {\"name\":\"a\"}"));
        assertThat(errorsWithSpec("workers", "[{name: a}, 5]")).contains(error("spec.workers[1]", "FieldValueInvalid",
                "Invalid value: 5: must be an object for an array of list-type map"));
    }

    @Test
    void listSetRejectsRepeatedValuesAtTheirSecondOccurrence() {
        assertThat(errorsWithSpec("tags", "[x, y, x, x]")).containsExactly(
                error("spec.tags[2]", "FieldValueDuplicate", "Duplicate value: \"x\""));
    }

    @Test
    void malformedFormatIsTypeInvalid() {
        assertThat(errorsWithSpec("schedule", "yesterday")).containsExactly(error("spec.schedule", "FieldValueTypeInvalid",
                "Invalid value: \"yesterday\": spec.schedule in body must be of type date-time: \"yesterday\""));
    }

    @Test
    void intOrStringAcceptsBothAndChecksStringKeywordsOnStrings() {
        assertThat(errorsWithSpec("port", "8080")).isEmpty();
        assertThat(errorsWithSpec("port", "https")).isEmpty();
        assertThat(errorsWithSpec("port", "HTTPS")).extracting(SchemaError::field).containsExactly("spec.port");
    }

    @Test
    void intOrStringRejectsOtherTypes() {
        List<SchemaError> errors = errorsWithSpec("port", "true");

        assertThat(errors).first().isEqualTo(error("spec.port", "FieldValueTypeInvalid",
                "Invalid value: \"boolean\": spec.port in body must be of type integer,string: \"boolean\""));
        assertThat(errors).extracting(SchemaError::message)
                .contains("Invalid value: \"\": \"spec.port\" must validate at least one schema (anyOf)");
    }

    @Test
    void nullIsAcceptedOnlyWhereNullable() {
        assertThat(errorsWithSpec("suspend", "null")).isEmpty();
        ObjectNode cron = validCronTab();
        ((ObjectNode) cron.get("status")).putNull("replicas");

        assertThat(cronTab().validate(cron)).containsExactly(error("status.replicas", "FieldValueTypeInvalid",
                "Invalid value: \"null\": status.replicas in body must be of type integer: \"null\""));
    }

    @Test
    void additionalPropertiesValuesAreValidatedUnderTheirKey() {
        assertThat(errorsWithSpec("labels", "{tier: much-too-long}")).containsExactly(
                error("spec.labels.tier", "FieldValueTooLong", "Too long: may not be longer than 8"));
    }

    @Test
    void embeddedResourceNeedsApiVersionAndKind() {
        assertThat(errorsWithSpec("template", "{metadata: {name: p}, apiVersion: a/b/c}")).containsExactly(
                error("spec.template.apiVersion", "FieldValueInvalid",
                        "Invalid value: \"a/b/c\": unexpected GroupVersion string: a/b/c"),
                error("spec.template.kind", "FieldValueRequired", "Required value: must not be empty"));
    }

    @Test
    void int32FormatRejectsIntegersOutsideItsRange() {
        StructuralSchema s = schema("type: object\nproperties: {n: {type: integer, format: int32}}");

        assertThat(s.validate(object("n: 2147483647"))).isEmpty();
        assertThat(s.validate(object("n: 2147483648"))).containsExactly(error("n", "FieldValueInvalid",
                "Invalid value: 2147483648: n in body must be of type int32"));
    }

    @Test
    void itemCountAndPropertyCountLimits() {
        StructuralSchema s = schema("""
                type: object
                properties:
                  list: {type: array, minItems: 2, items: {type: integer}}
                  map: {type: object, minProperties: 1, maxProperties: 2, additionalProperties: {type: integer}}
                """);

        assertThat(s.validate(object("{list: [1], map: {}}"))).containsExactly(
                error("list", "FieldValueInvalid", "Invalid value: 1: list in body should have at least 2 items"),
                error("map", "FieldValueInvalid", "Invalid value: 0: map in body should have at least 1 properties"));
        assertThat(s.validate(object("{list: [1, 2], map: {a: 1, b: 2, c: 3}}"))).containsExactly(
                error("map", "FieldValueTooMany", "Too many: 3: must have at most 2 items"));
    }

    @Test
    void uniqueItemsComparesValuesNotSpelling() {
        StructuralSchema s = schema("type: object\nproperties: {list: {type: array, uniqueItems: true, items: {}}}");

        assertThat(s.validate(object("list: [1, 1.0]"))).containsExactly(error("list", "FieldValueInvalid",
                "Invalid value: \"\": list in body shouldn't contain duplicates"));
        assertThat(s.validate(object("list: [{a: 1, b: 2}, {b: 2, a: 1}]"))).hasSize(1);
        assertThat(s.validate(object("list: [1, '1']"))).isEmpty();
    }

    @Test
    void additionalPropertiesFalseForbidsUndeclaredKeys() {
        StructuralSchema s = schema("type: object\nproperties: {spec: {type: object, additionalProperties: false}}");

        assertThat(s.validate(object("spec: {x: 1}"))).containsExactly(error("spec", "FieldValueInvalid",
                "Invalid value: \"x\": spec.x in body is a forbidden property"));
    }

    @Test
    void junctorsValidateValuesOnly() {
        StructuralSchema s = schema("""
                type: object
                properties:
                  a: {type: integer, allOf: [{minimum: 1}, {maximum: 5}]}
                  o: {type: string, oneOf: [{pattern: '^x'}, {pattern: 'y$'}]}
                  n: {type: string, not: {enum: [forbidden]}}
                """);

        assertThat(s.validate(object("{a: 3, o: xa, n: fine}"))).isEmpty();
        assertThat(s.validate(object("a: 9"))).containsExactly(
                error("a", "FieldValueInvalid", "Invalid value: 9: a in body should be less than or equal to 5"),
                error("a", "FieldValueInvalid", "Invalid value: \"\": \"a\" must validate all the schemas (allOf)"));
        assertThat(s.validate(object("o: xy"))).containsExactly(error("o", "FieldValueInvalid",
                "Invalid value: \"\": \"o\" must validate one and only one schema (oneOf). Found 2 valid alternatives"));
        assertThat(s.validate(object("o: ab"))).extracting(SchemaError::message).first().isEqualTo(
                "Invalid value: \"\": \"o\" must validate one and only one schema (oneOf). Found none valid");
        assertThat(s.validate(object("n: forbidden"))).containsExactly(error("n", "FieldValueInvalid",
                "Invalid value: \"\": \"n\" must not validate the schema (not)"));
    }

    @Test
    void enumOnNullableFieldStillRejectsNullUnlessListed() {
        StructuralSchema s = schema("""
                type: object
                properties:
                  e: {type: string, nullable: true, enum: [a, null]}
                  f: {type: string, nullable: true, enum: [a]}
                """);

        assertThat(s.validate(object("e: null"))).isEmpty();
        assertThat(s.validate(object("f: null"))).containsExactly(
                error("f", "FieldValueNotSupported", "Unsupported value: \"null\": supported values: \"a\""));
    }

    @Test
    void reportsEveryErrorOfAnObjectTogether() {
        ObjectNode cron = validCronTab();
        ObjectNode spec = (ObjectNode) cron.get("spec");
        spec.put("replicas", 0).put("policy", "Never").remove("cronSpec");
        ((ArrayNode) spec.get("tags")).add("x");

        assertThat(cronTab().validate(cron)).extracting(SchemaError::field)
                .containsExactly("spec.replicas", "spec.policy", "spec.tags[2]", "spec.cronSpec");
    }

    @Test
    void statusSchemaValidatesTheStatusAlone() {
        StructuralSchema status = cronTab().property("status").orElseThrow();

        assertThat(status.validate(object("replicas: many"))).extracting(SchemaError::field).containsExactly("replicas");
        assertThat(cronTab().property("spec", "replicas").flatMap(StructuralSchema::type)).contains("integer");
        assertThat(cronTab().property("spec", "labels", "anyKey").flatMap(StructuralSchema::type)).contains("string");
        assertThat(cronTab().property("spec", "nope")).isEmpty();
    }
}
