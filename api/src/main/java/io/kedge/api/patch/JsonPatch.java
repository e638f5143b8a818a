package io.kedge.api.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import java.util.ArrayList;
import java.util.List;

/**
 * RFC 6902 JSON patch ({@code application/json-patch+json}). The whole patch is checked for shape before any
 * operation runs; operations apply in order and all-or-nothing, on a copy of the target.
 */
public final class JsonPatch {

    private JsonPatch() {}

    /**
     * @throws PatchException BAD_REQUEST when the patch is not an array of well-formed operations, INVALID when
     *     an operation does not apply (missing path, index out of bounds, failed {@code test})
     */
    public static JsonNode apply(JsonNode target, JsonNode patch) {
        List<JsonPatchOperation> operations = parse(patch);
        JsonNode doc = target == null ? NullNode.getInstance() : target.deepCopy();
        for (int i = 0; i < operations.size(); i++) {
            JsonPatchOperation operation = operations.get(i);
            try {
                doc = operation.applyTo(doc);
            } catch (PatchException e) {
                throw e.withContext("JSON patch operation " + i + " (" + operation.describe() + ")");
            }
        }
        return doc;
    }

    private static List<JsonPatchOperation> parse(JsonNode patch) {
        if (patch == null || !patch.isArray()) {
            throw PatchException.badRequest("a JSON patch must be an array of operations, got " + JsonValues.typeOf(patch));
        }
        List<JsonPatchOperation> operations = new ArrayList<>(patch.size());
        for (int i = 0; i < patch.size(); i++) {
            try {
                operations.add(JsonPatchOperation.parse(patch.get(i)));
            } catch (PatchException e) {
                throw e.withContext("JSON patch operation " + i);
            }
        }
        return operations;
    }
}
