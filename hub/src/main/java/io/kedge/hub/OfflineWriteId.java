package io.kedge.hub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kedge.api.Meta;
import java.util.UUID;

/**
 * The mark an object created on the node while offline carries to the cloud. At replay a name the
 * cloud already holds is ours only when the object there bears the same mark: then the entry was
 * sent before (a crash between the answer and the done mark), otherwise the name was taken by
 * another object meanwhile and the node's write must not be dropped as a duplicate.
 */
final class OfflineWriteId {
    static final String ANNOTATION = "kedge.io/offline-write";

    private OfflineWriteId() {
    }

    static void stamp(ObjectNode obj) {
        ObjectNode meta = Meta.metadata(obj);
        JsonNode annotations = meta.get("annotations");
        ObjectNode target = annotations instanceof ObjectNode o ? o : meta.putObject("annotations");
        target.put(ANNOTATION, UUID.randomUUID().toString());
    }

    /** The object's mark, or null for one made online (or journaled before writes were marked). */
    static String of(JsonNode obj) {
        JsonNode v = obj.path("metadata").path("annotations").get(ANNOTATION);
        return v != null && v.isTextual() ? v.asText() : null;
    }
}
