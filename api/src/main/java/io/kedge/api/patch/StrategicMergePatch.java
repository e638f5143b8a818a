package io.kedge.api.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Kubernetes strategic merge patch ({@code application/strategic-merge-patch+json}): a JSON merge patch in which
 * lists declared by the {@link PatchSchema} merge instead of being replaced, steered by the directives
 * {@code $patch}, {@code $retainKeys}, {@code $setElementOrder/<field>} and {@code $deleteFromPrimitiveList/<field>}.
 * The result holds none of these directives.
 */
public final class StrategicMergePatch {

    static final String PATCH = "$patch";
    static final String RETAIN_KEYS = "$retainKeys";
    static final String SET_ELEMENT_ORDER = "$setElementOrder/";
    static final String DELETE_FROM_PRIMITIVE_LIST = "$deleteFromPrimitiveList/";

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private StrategicMergePatch() {}

    /**
     * The original with the patch applied; neither argument is changed.
     *
     * @throws PatchException BAD_REQUEST for a malformed patch (not an object, unknown {@code $patch} value,
     *     list element without its merge key...), INVALID for a patch that contradicts itself ({@code $retainKeys}
     *     not naming a field the patch sets)
     */
    public static ObjectNode apply(JsonNode original, JsonNode patch, PatchSchema schema) {
        if (original == null || !original.isObject()) {
            throw PatchException.badRequest("the object to patch must be a JSON object, got "
                    + JsonValues.typeOf(original));
        }
        if (patch == null || !patch.isObject()) {
            throw PatchException.badRequest("a strategic merge patch must be a JSON object, got "
                    + JsonValues.typeOf(patch));
        }
        PatchSchema root = schema == null ? PatchSchema.none() : schema;
        return mergeMap(((ObjectNode) original).deepCopy(), (ObjectNode) patch, root, "")
                .orElseThrow(() -> PatchException.badRequest(
                        "\"$patch\": \"delete\" cannot delete the whole object; send a DELETE request instead"));
    }

    /**
     * Merges {@code patch} into {@code owned}, a copy this class may change. Empty means the patch deletes the map.
     */
    private static Optional<ObjectNode> mergeMap(ObjectNode owned, ObjectNode patch, PatchSchema schema, String path) {
        String directive = directiveOf(patch, path);
        if (directive.equals("delete")) {
            return Optional.empty();
        }
        if (directive.equals("replace")) {
            return Optional.of(literal(patch, schema, path));
        }
        applyRetainKeys(owned, patch, path);
        applyDeletesFromPrimitiveLists(owned, patch, path);
        for (String field : fieldsToMerge(patch)) {
            mergeField(owned, field, patch, schema, path);
        }
        return Optional.of(owned);
    }

    /** The patch map taken as it is, minus directives: what {@code $patch: replace} asks for. */
    private static ObjectNode literal(ObjectNode patch, PatchSchema schema, String path) {
        ObjectNode withoutDirective = patch.deepCopy();
        withoutDirective.remove(PATCH);
        return mergeMap(NODES.objectNode(), withoutDirective, schema, path).orElseThrow();
    }

    /** The {@code $patch} value of a patch map or list element: merge (the default), replace or delete. */
    static String directiveOf(JsonNode patch, String path) {
        JsonNode directive = patch.isObject() ? patch.get(PATCH) : null;
        if (directive == null) {
            return "merge";
        }
        String value = directive.isTextual() ? directive.textValue() : directive.toString();
        if (!Set.of("merge", "replace", "delete").contains(value)) {
            throw PatchException.badRequest(at(path) + "unknown \"$patch\" value " + JsonValues.shown(directive)
                    + "; expected \"merge\", \"replace\" or \"delete\"");
        }
        return value;
    }

    private static void applyRetainKeys(ObjectNode owned, ObjectNode patch, String path) {
        JsonNode retain = patch.get(RETAIN_KEYS);
        if (retain == null) {
            return;
        }
        if (!retain.isArray()) {
            throw PatchException.badRequest(at(path) + "\"$retainKeys\" must be a list of field names, got "
                    + JsonValues.typeOf(retain));
        }
        Set<String> kept = new LinkedHashSet<>();
        for (JsonNode name : retain) {
            if (!name.isTextual()) {
                throw PatchException.badRequest(at(path) + "\"$retainKeys\" must list field names, found "
                        + JsonValues.shown(name));
            }
            kept.add(name.textValue());
        }
        for (Map.Entry<String, JsonNode> field : patch.properties()) {
            if (!isDirective(field.getKey()) && !field.getValue().isNull() && !kept.contains(field.getKey())) {
                throw PatchException.invalid(at(path) + "the patch sets \"" + field.getKey()
                        + "\", which its \"$retainKeys\" list does not name");
            }
        }
        owned.retain(kept);
    }

    private static void applyDeletesFromPrimitiveLists(ObjectNode owned, ObjectNode patch, String path) {
        for (Map.Entry<String, JsonNode> entry : patch.properties()) {
            if (!entry.getKey().startsWith(DELETE_FROM_PRIMITIVE_LIST)) {
                continue;
            }
            String field = entry.getKey().substring(DELETE_FROM_PRIMITIVE_LIST.length());
            JsonNode doomed = entry.getValue();
            if (!doomed.isArray()) {
                throw PatchException.badRequest(at(path) + "\"" + entry.getKey() + "\" must be a list, got "
                        + JsonValues.typeOf(doomed));
            }
            JsonNode current = owned.get(field);
            if (current == null || !current.isArray()) {
                continue;
            }
            ArrayNode kept = NODES.arrayNode();
            for (JsonNode element : current) {
                if (!contains(doomed, element)) {
                    kept.add(element);
                }
            }
            owned.set(field, kept);
        }
    }

    /** The data fields of the patch, then the fields only a {@code $setElementOrder} names. */
    private static Set<String> fieldsToMerge(ObjectNode patch) {
        Set<String> fields = new LinkedHashSet<>();
        for (Map.Entry<String, JsonNode> entry : patch.properties()) {
            String key = entry.getKey();
            if (!isDirective(key)) {
                fields.add(key);
            }
        }
        for (Map.Entry<String, JsonNode> entry : patch.properties()) {
            if (entry.getKey().startsWith(SET_ELEMENT_ORDER)) {
                fields.add(entry.getKey().substring(SET_ELEMENT_ORDER.length()));
            }
        }
        return fields;
    }

    private static void mergeField(ObjectNode owned, String field, ObjectNode patch, PatchSchema schema, String path) {
        String fieldPath = path.isEmpty() ? field : path + "." + field;
        JsonNode value = patch.get(field);
        JsonNode order = patch.get(SET_ELEMENT_ORDER + field);
        if (value != null && value.isNull()) {
            owned.remove(field);
            return;
        }
        JsonNode current = owned.get(field);
        FieldStrategy strategy = schema.strategyOf(field);
        PatchSchema child = schema.child(field);
        if (value == null) {
            // Only an order for this list: it can only reorder a list that merges, never empty one that is replaced.
            if (current != null && current.isArray() && strategy.strategy().mergesLists()) {
                owned.set(field, ListMerge.merge((ArrayNode) current, NODES.arrayNode(), order, strategy, child,
                        fieldPath));
            }
            return;
        }
        if (value.isObject()) {
            ObjectNode base = current != null && current.isObject() && !strategy.strategy().replacesMaps()
                    ? (ObjectNode) current
                    : NODES.objectNode();
            Optional<ObjectNode> merged = mergeMap(base, (ObjectNode) value, child, fieldPath);
            if (merged.isPresent()) {
                owned.set(field, merged.get());
            } else {
                owned.remove(field);
            }
        } else if (value.isArray()) {
            ArrayNode base = current != null && current.isArray() ? (ArrayNode) current : NODES.arrayNode();
            owned.set(field, ListMerge.merge(base, (ArrayNode) value, order, strategy, child, fieldPath));
        } else {
            owned.set(field, value.deepCopy());
        }
    }

    /** A patch value placed where nothing is merged with it: directives applied against nothing, so removed. */
    static Optional<JsonNode> clean(JsonNode value, PatchSchema schema, String path) {
        if (value.isObject()) {
            return mergeMap(NODES.objectNode(), (ObjectNode) value, schema, path).map(JsonNode.class::cast);
        }
        if (value.isArray()) {
            return Optional.of(ListMerge.merge(NODES.arrayNode(), (ArrayNode) value, null, FieldStrategy.DEFAULT,
                    PatchSchema.none(), path));
        }
        return Optional.of(value.deepCopy());
    }

    /** Merges one element of a list merged by key into its counterpart, a copy this class may change. */
    static ObjectNode mergeElement(ObjectNode owned, ObjectNode patch, PatchSchema schema, String path) {
        return mergeMap(owned, patch, schema, path).orElseThrow();
    }

    static boolean isDirective(String key) {
        return key.equals(PATCH) || key.equals(RETAIN_KEYS)
                || key.startsWith(SET_ELEMENT_ORDER) || key.startsWith(DELETE_FROM_PRIMITIVE_LIST);
    }

    static boolean contains(Iterable<JsonNode> values, JsonNode value) {
        for (JsonNode candidate : values) {
            if (JsonValues.equal(candidate, value)) {
                return true;
            }
        }
        return false;
    }

    static String at(String path) {
        return path.isEmpty() ? "" : path + ": ";
    }
}
