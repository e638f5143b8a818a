package io.kedge.api.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kedge.api.GoQuote;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Walks a value along its schema and collects every violation, in the order kube-openapi checks
 * them: type, allOf/anyOf/oneOf/not, string and format, number, array, enum, object. List-type
 * uniqueness and the apiVersion/kind of embedded resources are checked where Kubernetes does too.
 * {@code x-kubernetes-validations} (CEL) rules are not evaluated.
 */
final class Validator {
    private final List<SchemaError> errors = new ArrayList<>();

    static List<SchemaError> validate(JsonNode value, SchemaNode schema, String path) {
        Validator validator = new Validator();
        validator.check(value, schema, path);
        return validator.errors;
    }

    private void check(JsonNode value, SchemaNode schema, String path) {
        add(KeywordChecks.type(value, schema, path));
        if (value.isNull()) {
            add(KeywordChecks.enumeration(value, schema, path));
            return;
        }
        checkJunctors(value, schema, path);
        if (value.isTextual()) {
            add(KeywordChecks.string(value, schema, path));
            add(KeywordChecks.format(value, schema, path));
        } else if (value.isNumber()) {
            KeywordChecks.number(value, schema, path, errors);
        } else if (value.isArray()) {
            checkArray(value, schema, path);
        }
        add(KeywordChecks.enumeration(value, schema, path));
        if (value.isObject()) {
            checkObject(value, schema, path);
        }
    }

    private void checkJunctors(JsonNode value, SchemaNode schema, String path) {
        String quoted = GoQuote.quote(path);
        if (!schema.allOf.isEmpty()) {
            int valid = 0;
            for (SchemaNode branch : schema.allOf) {
                List<SchemaError> branchErrors = validate(value, branch, path);
                errors.addAll(branchErrors);
                valid += branchErrors.isEmpty() ? 1 : 0;
            }
            if (valid < schema.allOf.size()) {
                errors.add(SchemaError.invalid(path, "", quoted + " must validate all the schemas (allOf)"
                        + (valid == 0 ? ". None validated" : "")));
            }
        }
        if (!schema.anyOf.isEmpty()) {
            List<SchemaError> closest = null;
            for (SchemaNode branch : schema.anyOf) {
                List<SchemaError> branchErrors = validate(value, branch, path);
                if (branchErrors.isEmpty()) {
                    closest = null;
                    break;
                }
                closest = closest == null || branchErrors.size() < closest.size() ? branchErrors : closest;
            }
            if (closest != null) {
                errors.add(SchemaError.invalid(path, "", quoted + " must validate at least one schema (anyOf)"));
                errors.addAll(closest);
            }
        }
        if (!schema.oneOf.isEmpty()) {
            int valid = 0;
            List<SchemaError> closest = null;
            for (SchemaNode branch : schema.oneOf) {
                List<SchemaError> branchErrors = validate(value, branch, path);
                if (branchErrors.isEmpty()) {
                    valid++;
                } else if (closest == null || branchErrors.size() < closest.size()) {
                    closest = branchErrors;
                }
            }
            if (valid != 1) {
                errors.add(SchemaError.invalid(path, "", quoted + " must validate one and only one schema (oneOf). "
                        + (valid == 0 ? "Found none valid" : "Found " + valid + " valid alternatives")));
                if (valid == 0) {
                    errors.addAll(closest);
                }
            }
        }
        if (schema.not != null && validate(value, schema.not, path).isEmpty()) {
            errors.add(SchemaError.invalid(path, "", quoted + " must not validate the schema (not)"));
        }
    }

    private void checkArray(JsonNode array, SchemaNode schema, String path) {
        if (schema.items != null) {
            for (int i = 0; i < array.size(); i++) {
                check(array.get(i), schema.items, Paths.index(path, i));
            }
        }
        String name = KeywordChecks.name(path);
        if (schema.minItems != null && array.size() < schema.minItems) {
            errors.add(SchemaError.invalid(path, array.size(),
                    name + " in body should have at least " + schema.minItems + " items"));
        }
        if (schema.maxItems != null && array.size() > schema.maxItems) {
            errors.add(SchemaError.tooMany(path, array.size(), schema.maxItems));
        }
        if (schema.uniqueItems && !ListTypes.repeatedIndexes(array).isEmpty()) {
            errors.add(SchemaError.invalid(path, "", name + " in body shouldn't contain duplicates"));
        }
        if ("set".equals(schema.listType)) {
            ListTypes.repeatedIndexes(array).forEach(i -> errors.add(
                    SchemaError.duplicate(Paths.index(path, i), array.get(i))));
        } else if ("map".equals(schema.listType)) {
            errors.addAll(ListTypes.checkMap(array, schema.listMapKeys, path));
        }
    }

    private void checkObject(JsonNode object, SchemaNode schema, String path) {
        String name = KeywordChecks.name(path);
        if (schema.minProperties != null && object.size() < schema.minProperties) {
            errors.add(SchemaError.invalid(path, object.size(),
                    name + " in body should have at least " + schema.minProperties + " properties"));
            return;
        }
        if (schema.maxProperties != null && object.size() > schema.maxProperties) {
            errors.add(SchemaError.tooMany(path, object.size(), schema.maxProperties));
            return;
        }
        if (Boolean.FALSE.equals(schema.additionalPropertiesAllowed)) {
            object.fieldNames().forEachRemaining(key -> {
                if (!schema.properties.containsKey(key)) {
                    errors.add(SchemaError.invalid(path, key, Paths.child(path, key) + " in body is a forbidden property"));
                }
            });
        } else if (schema.additionalProperties != null) {
            object.properties().forEach(field -> {
                if (!schema.properties.containsKey(field.getKey())) {
                    check(field.getValue(), schema.additionalProperties, Paths.child(path, field.getKey()));
                }
            });
        }
        schema.properties.forEach((key, property) -> {
            JsonNode fieldValue = object.get(key);
            if (fieldValue != null) {
                check(fieldValue, property, Paths.child(path, key));
            }
        });
        for (String key : schema.required) {
            if (!object.has(key)) {
                errors.add(SchemaError.required(Paths.child(path, key), ""));
            }
        }
        if (schema.embeddedResource) {
            checkTypeMeta(object, path);
        }
    }

    /** An embedded resource needs apiVersion and kind, as any object the API would accept. */
    private void checkTypeMeta(JsonNode object, String path) {
        for (String key : List.of("apiVersion", "kind")) {
            JsonNode v = object.get(key);
            String fieldPath = Paths.child(path, key);
            if (v == null) {
                errors.add(SchemaError.required(fieldPath, "must not be empty"));
            } else if (!v.isTextual()) {
                errors.add(SchemaError.invalid(fieldPath, v, "must be a string"));
            } else if (v.textValue().isEmpty()) {
                errors.add(SchemaError.invalid(fieldPath, v, "must not be empty"));
            } else if (key.equals("apiVersion") && v.textValue().chars().filter(c -> c == '/').count() > 1) {
                errors.add(SchemaError.invalid(fieldPath, v, "unexpected GroupVersion string: " + v.textValue()));
            }
        }
        JsonNode metadata = object.get("metadata");
        if (metadata != null && !metadata.isObject()) {
            errors.add(SchemaError.invalid(Paths.child(path, "metadata"), metadata, "must be an object"));
        }
    }

    private void add(SchemaError error) {
        if (error != null) {
            errors.add(error);
        }
    }

    /** Uniqueness for {@code x-kubernetes-list-type} set and map, and for {@code uniqueItems}. */
    static final class ListTypes {
        private ListTypes() {}

        /** The index of each value's second occurrence, as Kubernetes reports duplicates. */
        static List<Integer> repeatedIndexes(JsonNode array) {
            List<String> identities = new ArrayList<>(array.size());
            array.forEach(item -> identities.add(JsonValues.canonical(item)));
            return repeatedIndexes(identities);
        }

        private static List<Integer> repeatedIndexes(List<String> identities) {
            Map<String, Integer> seen = new HashMap<>();
            List<Integer> repeated = new ArrayList<>();
            for (int i = 0; i < identities.size(); i++) {
                if (seen.merge(identities.get(i), 1, Integer::sum) == 2) {
                    repeated.add(i);
                }
            }
            return repeated;
        }

        /** Items must be objects, and no two may have the same values for the map keys. */
        static List<SchemaError> checkMap(JsonNode array, List<String> mapKeys, String path) {
            for (int i = 0; i < array.size(); i++) {
                JsonNode item = array.get(i);
                if (!item.isNull() && !item.isObject()) {
                    return List.of(SchemaError.invalid(Paths.index(path, i), item,
                            "must be an object for an array of list-type map"));
                }
            }
            List<ObjectNode> keys = new ArrayList<>(array.size());
            List<String> identities = new ArrayList<>(array.size());
            for (JsonNode item : array) {
                ObjectNode key = JsonNodeFactory.instance.objectNode();
                for (String keyField : mapKeys) {
                    if (item.has(keyField)) {
                        key.set(keyField, item.get(keyField));
                    }
                }
                keys.add(key);
                identities.add(JsonValues.canonical(key));
            }
            List<SchemaError> errors = new ArrayList<>();
            for (int i : repeatedIndexes(identities)) {
                errors.add(SchemaError.duplicate(Paths.index(path, i), keys.get(i)));
            }
            return errors;
        }
    }
}
