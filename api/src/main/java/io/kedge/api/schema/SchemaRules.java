package io.kedge.api.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What a CRD's {@code openAPIV3Schema} must satisfy to be accepted: the OpenAPI subset CRDs allow,
 * structurality (every field typed outside of allOf/anyOf/oneOf/not, which carry value validation
 * only), the metadata restrictions, the list-type rules, and defaults that are pruned and valid.
 * Paths are relative to the schema root, in Kubernetes' form: {@code properties[spec].type}.
 */
final class SchemaRules {
    private static final List<String> TYPES = List.of("array", "boolean", "integer", "number", "object", "string");
    private static final Set<String> META_FIELDS = Set.of("apiVersion", "kind", "metadata");
    private static final List<String> UNSUPPORTED = List.of(
            "id", "additionalItems", "patternProperties", "definitions", "dependencies", "$ref");
    private static final Set<String> ROOT_METADATA_KEYWORDS = Set.of("type", "properties", "description", "default");

    private enum Level { ROOT, ITEMS, FIELD }

    /** Where a node sits: inside ObjectMeta/TypeMeta of a resource, and why defaults are forbidden there. */
    private record Context(boolean insideResourceMeta, String defaultsForbidden) {
        Context forbidDefaults(String reason) {
            return new Context(insideResourceMeta, reason);
        }
    }

    private final List<SchemaError> errors = new ArrayList<>();

    static List<SchemaError> check(SchemaNode root) {
        SchemaRules rules = new SchemaRules();
        if (root.json.path("nullable").asBoolean(false)) {
            rules.errors.add(SchemaError.forbidden("nullable", "nullable cannot be true at the root"));
        }
        rules.checkNode(root, Level.ROOT, "", new Context(false, null));
        if (rules.errors.isEmpty()) {
            DefaultRules.check(root, rules.errors);
        }
        return rules.errors;
    }

    private void checkNode(SchemaNode node, Level level, String path, Context context) {
        checkOpenApiSubset(node, path, errors);
        if (node.defaultValue != null && context.defaultsForbidden() != null) {
            errors.add(SchemaError.forbidden(Paths.child(path, "default"), "must not be set " + context.defaultsForbidden()));
        }
        if (context.insideResourceMeta() && node.embeddedResource) {
            errors.add(SchemaError.forbidden(Paths.child(path, "x-kubernetes-embedded-resource"),
                    "must not be used inside of resource meta"));
        }
        checkTypeRules(node, level, path);
        checkObjectRules(node, level, path);
        ListRules.check(node, path, errors);
        checkJunctors(node, path);
        checkChildren(node, level, path, context);
    }

    /** Keywords JSON Schema has and CRDs do not take, whatever the node (junctor branches too). */
    static void checkOpenApiSubset(SchemaNode node, String path, List<SchemaError> errors) {
        if ("null".equals(node.type)) {
            errors.add(SchemaError.forbidden(Paths.child(path, "type"),
                    "type cannot be set to null, use nullable as an alternative"));
        } else if (node.type != null && !TYPES.contains(node.type)) {
            errors.add(SchemaError.notSupported(Paths.child(path, "type"), TextNode.valueOf(node.type), TYPES));
        }
        for (String keyword : UNSUPPORTED) {
            if (node.json.has(keyword)) {
                errors.add(SchemaError.forbidden(Paths.child(path, keyword), keyword + " is not supported"));
            }
        }
        if (node.json.path("items").isArray()) {
            errors.add(SchemaError.forbidden(Paths.child(path, "items"), "items must be a schema object and not an array"));
        }
        if (node.uniqueItems) {
            errors.add(SchemaError.forbidden(Paths.child(path, "uniqueItems"),
                    "uniqueItems cannot be set to true since the runtime complexity becomes quadratic"));
        }
        JsonNode preserve = node.json.get("x-kubernetes-preserve-unknown-fields");
        if (preserve != null && preserve.isBoolean() && !preserve.booleanValue()) {
            errors.add(SchemaError.invalid(Paths.child(path, "x-kubernetes-preserve-unknown-fields"), preserve,
                    "must be true or undefined"));
        }
    }

    private void checkTypeRules(SchemaNode node, Level level, String path) {
        String typePath = Paths.child(path, "type");
        if (node.intOrString && node.preserveUnknownFields) {
            errors.add(SchemaError.invalid(Paths.child(path, "x-kubernetes-preserve-unknown-fields"), BooleanNode.TRUE,
                    "must be false if x-kubernetes-int-or-string is true"));
        }
        if (node.intOrString && node.embeddedResource) {
            errors.add(SchemaError.invalid(Paths.child(path, "x-kubernetes-embedded-resource"), BooleanNode.TRUE,
                    "must be false if x-kubernetes-int-or-string is true"));
        }
        if (node.embeddedResource && !"object".equals(node.type)) {
            String detail = "must be object if x-kubernetes-embedded-resource is true";
            errors.add(node.type == null ? SchemaError.required(typePath, detail)
                    : SchemaError.invalid(typePath, node.type, detail));
        } else if (node.type == null && !node.intOrString && !node.preserveUnknownFields) {
            errors.add(SchemaError.required(typePath, switch (level) {
                case ROOT -> "must not be empty at the root";
                case ITEMS -> "must not be empty for specified array items";
                case FIELD -> "must not be empty for specified object fields";
            }));
        }
        if (level == Level.ROOT && node.type != null && !"object".equals(node.type)) {
            errors.add(SchemaError.invalid(typePath, node.type, "must be object at the root"));
        }
        if ("array".equals(node.type) && node.items == null && !node.json.path("items").isArray()) {
            errors.add(SchemaError.required(Paths.child(path, "items"), "must be specified"));
        }
    }

    private void checkObjectRules(SchemaNode node, Level level, String path) {
        String additionalPath = Paths.child(path, "additionalProperties");
        boolean hasAdditional = node.json.has("additionalProperties");
        if (hasAdditional && level == Level.ROOT) {
            errors.add(SchemaError.forbidden(additionalPath, "must not be used at the root"));
        }
        if (hasAdditional && !node.properties.isEmpty() && !Boolean.TRUE.equals(node.additionalPropertiesAllowed)) {
            errors.add(SchemaError.forbidden(additionalPath, "additionalProperties and properties are mutual exclusive"));
        }
        if (node.embeddedResource && hasAdditional) {
            errors.add(SchemaError.forbidden(additionalPath, "must not be used if x-kubernetes-embedded-resource is set"));
        }
        if (node.embeddedResource && !node.preserveUnknownFields && node.properties.isEmpty()) {
            errors.add(SchemaError.required(Paths.child(path, "properties"), "must not be empty if "
                    + "x-kubernetes-embedded-resource is true without x-kubernetes-preserve-unknown-fields"));
        }
        if (level != Level.ROOT && !node.embeddedResource) {
            return;
        }
        for (String key : List.of("apiVersion", "kind")) {
            SchemaNode typeMeta = node.properties.get(key);
            if (typeMeta != null && !"string".equals(typeMeta.type)) {
                errors.add(SchemaError.invalid(Paths.child(propertyPath(path, key), "type"),
                        String.valueOf(typeMeta.type), "must be string"));
            }
        }
        SchemaNode metadata = node.properties.get("metadata");
        if (metadata != null) {
            checkResourceMetadata(metadata, level, propertyPath(path, "metadata"));
        }
    }

    /** ObjectMeta is the server's: a schema may restrict name and generateName, nothing else. */
    private void checkResourceMetadata(SchemaNode metadata, Level level, String path) {
        if (!"object".equals(metadata.type)) {
            errors.add(SchemaError.invalid(Paths.child(path, "type"), String.valueOf(metadata.type), "must be object"));
        }
        if (level != Level.ROOT) {
            return;
        }
        boolean onlyNames = metadata.properties.keySet().stream().allMatch(k -> k.equals("name") || k.equals("generateName"));
        boolean onlyAllowedKeywords = true;
        for (var it = metadata.json.fieldNames(); it.hasNext(); ) {
            onlyAllowedKeywords &= ROOT_METADATA_KEYWORDS.contains(it.next());
        }
        if (!onlyNames || !onlyAllowedKeywords) {
            errors.add(SchemaError.forbidden(path,
                    "must not specify anything other than name and generateName, but metadata is implicitly specified"));
        }
    }

    private void checkJunctors(SchemaNode node, String path) {
        boolean skipAnyOf = isIntOrStringAnyOf(node.anyOf);
        boolean skipFirstAllOfAnyOf = !node.allOf.isEmpty() && isIntOrStringAnyOf(node.allOf.get(0).anyOf);
        NestedRules nested = new NestedRules(errors);
        nested.checkJunctors(node, path, skipAnyOf, skipFirstAllOfAnyOf);
        nested.checkCompleteness(node, path);
    }

    /** The two spellings of int-or-string that may carry a type inside anyOf. */
    static boolean isIntOrStringAnyOf(List<SchemaNode> anyOf) {
        return anyOf.size() == 2 && isOnlyType(anyOf.get(0), "integer") && isOnlyType(anyOf.get(1), "string");
    }

    private static boolean isOnlyType(SchemaNode branch, String type) {
        return type.equals(branch.type) && branch.json.size() == 1;
    }

    private void checkChildren(SchemaNode node, Level level, String path, Context context) {
        if (node.items != null) {
            checkNode(node.items, Level.ITEMS, Paths.child(path, "items"), context);
        }
        node.properties.forEach((key, property) -> {
            Context child = context;
            if ((level == Level.ROOT || node.embeddedResource) && META_FIELDS.contains(key)) {
                child = new Context(true, level == Level.ROOT ? "in top-level " + key : context.defaultsForbidden());
            }
            checkNode(property, Level.FIELD, propertyPath(path, key), child);
        });
        if (node.additionalProperties != null) {
            Context child = context.insideResourceMeta()
                    ? context.forbidDefaults("inside additionalProperties applying to object metadata") : context;
            checkNode(node.additionalProperties, Level.FIELD, Paths.child(path, "additionalProperties"), child);
        }
    }

    static String propertyPath(String path, String key) {
        return Paths.key(Paths.child(path, "properties"), key);
    }
}
