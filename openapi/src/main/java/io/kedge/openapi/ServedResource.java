package io.kedge.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * One resource the server serves, as the OpenAPI documents need to know it.
 *
 * @param customSchema the OpenAPI v3 schema of a custom kind (a CRD's {@code openAPIV3Schema}, or kedge's own
 *     {@code edge.kedge.io} kinds); {@code null} for built-in kinds, whose schema comes from the {@link SchemaCatalog}
 */
public record ServedResource(String group, String version, String kind, String plural, boolean namespaced,
                             List<String> verbs, List<String> subresources, JsonNode customSchema) {

    public ServedResource {
        if (group == null) {
            throw new IllegalArgumentException("served resource group must not be null (use \"\" for the core group)");
        }
        requireText(version, "version", kind);
        requireText(kind, "kind", plural);
        requireText(plural, "plural", kind);
        if (verbs == null) {
            throw new IllegalArgumentException("served resource " + kind + ": verbs must not be null");
        }
        if (subresources == null) {
            throw new IllegalArgumentException("served resource " + kind + ": subresources must not be null");
        }
        if (customSchema != null && !customSchema.isObject()) {
            throw new IllegalArgumentException("served resource " + kind
                    + ": custom schema must be a JSON object, got " + customSchema.getNodeType());
        }
        verbs = List.copyOf(verbs);
        subresources = List.copyOf(subresources);
    }

    /** A built-in kind whose schema comes from the catalog. */
    public static ServedResource builtin(String group, String version, String kind, String plural, boolean namespaced,
                                         List<String> verbs, List<String> subresources) {
        return new ServedResource(group, version, kind, plural, namespaced, verbs, subresources, null);
    }

    /** "apps/v1", or "v1" for the core group. */
    public String groupVersion() {
        return group.isEmpty() ? version : group + "/" + version;
    }

    /** The key of this resource's OpenAPI v3 document: "api/v1" or "apis/apps/v1". */
    public String groupVersionPath() {
        return group.isEmpty() ? "api/" + version : "apis/" + group + "/" + version;
    }

    public boolean isCustom() {
        return customSchema != null;
    }

    public boolean allows(String verb) {
        return verbs.contains(verb);
    }

    private static void requireText(String value, String what, String context) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("served resource " + (context == null ? "" : context + " ")
                    + "needs a non-blank " + what);
        }
    }
}
