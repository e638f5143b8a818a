package io.kedge.api.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/** RFC 7386 JSON merge patch ({@code application/merge-patch+json}): objects merge, null deletes, all else replaces. */
public final class MergePatch {

    private MergePatch() {}

    /** The target with the patch applied; neither argument is changed. */
    public static JsonNode apply(JsonNode target, JsonNode patch) {
        if (patch == null || patch.isMissingNode()) {
            throw PatchException.badRequest("a merge patch must be a JSON document, got nothing");
        }
        if (!patch.isObject()) {
            return patch.deepCopy();
        }
        ObjectNode result = target != null && target.isObject()
                ? ((ObjectNode) target).deepCopy()
                : JsonNodeFactory.instance.objectNode();
        mergeInto(result, (ObjectNode) patch);
        return result;
    }

    /** Merges into {@code owned}, a tree this class created and may change. */
    private static void mergeInto(ObjectNode owned, ObjectNode patch) {
        for (Map.Entry<String, JsonNode> field : patch.properties()) {
            String name = field.getKey();
            JsonNode value = field.getValue();
            if (value.isNull()) {
                owned.remove(name);
            } else if (value.isObject()) {
                JsonNode current = owned.get(name);
                ObjectNode child = current != null && current.isObject()
                        ? (ObjectNode) current
                        : owned.putObject(name);
                mergeInto(child, (ObjectNode) value);
            } else {
                owned.set(name, value.deepCopy());
            }
        }
    }

    /**
     * The merge patch that turns {@code from} into {@code to}: {@code apply(from, create(from, to))} equals
     * {@code to}, except where {@code to} holds explicit nulls inside objects, which a merge patch cannot express.
     */
    public static JsonNode create(JsonNode from, JsonNode to) {
        if (to == null || to.isMissingNode()) {
            throw new IllegalArgumentException("the desired document is missing");
        }
        if (from == null || !from.isObject() || !to.isObject()) {
            return to.deepCopy();
        }
        return diff((ObjectNode) from, (ObjectNode) to);
    }

    private static ObjectNode diff(ObjectNode from, ObjectNode to) {
        ObjectNode patch = JsonNodeFactory.instance.objectNode();
        for (Map.Entry<String, JsonNode> field : from.properties()) {
            String name = field.getKey();
            if (!to.has(name)) {
                patch.putNull(name);
            }
        }
        for (Map.Entry<String, JsonNode> field : to.properties()) {
            JsonNode before = from.get(field.getKey());
            JsonNode after = field.getValue();
            if (before != null && before.equals(after)) {
                continue;
            }
            if (before != null && before.isObject() && after.isObject()) {
                patch.set(field.getKey(), diff((ObjectNode) before, (ObjectNode) after));
            } else {
                patch.set(field.getKey(), after.deepCopy());
            }
        }
        return patch;
    }
}
