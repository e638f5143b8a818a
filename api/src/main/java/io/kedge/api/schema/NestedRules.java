package io.kedge.api.schema;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * Rules for allOf/anyOf/oneOf/not branches, which may only validate values: no types (except the
 * int-or-string anyOf), no defaults, no descriptions, no Kubernetes extensions, no metadata. And
 * every field or items they mention must also be declared in the structural part of the schema.
 */
final class NestedRules {
    private static final Map<String, String> FORBIDDEN_KEYWORDS = Map.ofEntries(
            Map.entry("type", "must be empty to be structural"),
            Map.entry("additionalProperties", "must be undefined to be structural"),
            Map.entry("default", "must be undefined to be structural"),
            Map.entry("title", "must be empty to be structural"),
            Map.entry("description", "must be empty to be structural"),
            Map.entry("externalDocs", "must be undefined to be structural"),
            Map.entry("x-kubernetes-list-type", "must be undefined to be structural"),
            Map.entry("x-kubernetes-map-type", "must be undefined to be structural"));
    private static final List<String> FORBIDDEN_FLAGS = List.of("nullable", "x-kubernetes-preserve-unknown-fields",
            "x-kubernetes-embedded-resource", "x-kubernetes-int-or-string");
    private static final List<String> FORBIDDEN_LISTS = List.of("x-kubernetes-list-map-keys", "x-kubernetes-validations");

    private final List<SchemaError> errors;

    NestedRules(List<SchemaError> errors) {
        this.errors = errors;
    }

    void checkJunctors(SchemaNode node, String path, boolean skipAnyOf, boolean skipFirstAllOfAnyOf) {
        if (!skipAnyOf) {
            checkEach(node.anyOf, Paths.child(path, "anyOf"));
        }
        for (int i = 0; i < node.allOf.size(); i++) {
            checkNested(node.allOf.get(i), Paths.index(Paths.child(path, "allOf"), i), skipFirstAllOfAnyOf && i == 0);
        }
        checkEach(node.oneOf, Paths.child(path, "oneOf"));
        if (node.not != null) {
            checkNested(node.not, Paths.child(path, "not"), false);
        }
    }

    private void checkEach(List<SchemaNode> branches, String path) {
        for (int i = 0; i < branches.size(); i++) {
            checkNested(branches.get(i), Paths.index(path, i), false);
        }
    }

    private void checkNested(SchemaNode nested, String path, boolean skipAnyOf) {
        SchemaRules.checkOpenApiSubset(nested, path, errors);
        checkJunctors(nested, path, skipAnyOf, false);
        if (nested.items != null) {
            checkNested(nested.items, Paths.child(path, "items"), false);
        }
        nested.properties.forEach((key, property) ->
                checkNested(property, SchemaRules.propertyPath(path, key), false));
        FORBIDDEN_KEYWORDS.forEach((keyword, detail) -> {
            if (nested.json.has(keyword)) {
                errors.add(SchemaError.forbidden(Paths.child(path, keyword), detail));
            }
        });
        for (String flag : FORBIDDEN_FLAGS) {
            if (nested.json.path(flag).asBoolean(false)) {
                errors.add(SchemaError.forbidden(Paths.child(path, flag), "must be false to be structural"));
            }
        }
        for (String list : FORBIDDEN_LISTS) {
            JsonNode value = nested.json.get(list);
            if (value != null && !(value.isArray() && value.isEmpty())) {
                errors.add(SchemaError.forbidden(Paths.child(path, list), "must be empty to be structural"));
            }
        }
        if (nested.properties.containsKey("metadata")) {
            errors.add(SchemaError.forbidden(SchemaRules.propertyPath(path, "metadata"),
                    "must not be specified in a nested context"));
        }
    }

    /** Fields and items named in a junctor branch must exist in the structural schema beside it. */
    void checkCompleteness(SchemaNode structural, String path) {
        checkJunctorCompleteness(structural, structural, path, path);
    }

    private void checkJunctorCompleteness(SchemaNode nested, SchemaNode structural, String sPath, String vPath) {
        if (nested.not != null) {
            checkBranchCompleteness(nested.not, structural, sPath, Paths.child(vPath, "not"));
        }
        checkEachCompleteness(nested.allOf, structural, sPath, Paths.child(vPath, "allOf"));
        checkEachCompleteness(nested.anyOf, structural, sPath, Paths.child(vPath, "anyOf"));
        checkEachCompleteness(nested.oneOf, structural, sPath, Paths.child(vPath, "oneOf"));
    }

    private void checkEachCompleteness(List<SchemaNode> branches, SchemaNode structural, String sPath, String vPath) {
        for (int i = 0; i < branches.size(); i++) {
            checkBranchCompleteness(branches.get(i), structural, sPath, Paths.index(vPath, i));
        }
    }

    private void checkBranchCompleteness(SchemaNode nested, SchemaNode structural, String sPath, String vPath) {
        if (structural == null) {
            errors.add(SchemaError.required(sPath, "because it is defined in " + vPath));
            return;
        }
        checkJunctorCompleteness(nested, structural, sPath, vPath);
        if (nested.items != null) {
            checkBranchCompleteness(nested.items, structural.items, Paths.child(sPath, "items"), Paths.child(vPath, "items"));
        }
        nested.properties.forEach((key, property) -> checkBranchCompleteness(property, structural.properties.get(key),
                SchemaRules.propertyPath(sPath, key), SchemaRules.propertyPath(vPath, key)));
    }
}
