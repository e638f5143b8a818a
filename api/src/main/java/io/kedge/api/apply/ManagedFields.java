package io.kedge.api.apply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Reads and writes {@code metadata.managedFields}. */
public final class ManagedFields {

    /** Upstream's order: Apply entries before Update entries, then oldest first. */
    private static final Comparator<ManagedFieldsEntry> ORDER = Comparator
            .comparing(ManagedFieldsEntry::operation)
            .thenComparing(e -> e.time() == null ? 0L : e.time().getEpochSecond())
            .thenComparing(ManagedFieldsEntry::manager)
            .thenComparing(ManagedFieldsEntry::apiVersion)
            .thenComparing(e -> e.subresource() == null ? "" : e.subresource());

    private ManagedFields() {}

    /** The entries of {@code object}; none when the field is absent or null. */
    public static List<ManagedFieldsEntry> read(JsonNode object) {
        JsonNode list = object == null ? null : object.path("metadata").get("managedFields");
        if (list == null || list.isNull()) return List.of();
        if (!list.isArray()) {
            throw new IllegalArgumentException("metadata.managedFields must be a list");
        }
        List<ManagedFieldsEntry> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            out.add(ManagedFieldsEntry.fromJson(list.get(i), "metadata.managedFields[" + i + "]"));
        }
        return out;
    }

    /**
     * Whether a request asks to clear the tracking: an empty list, or a list of one empty entry, as upstream
     * documents for {@code managedFields}.
     */
    public static boolean isReset(JsonNode object) {
        JsonNode list = object == null ? null : object.path("metadata").get("managedFields");
        if (list == null || !list.isArray()) return false;
        return list.isEmpty() || (list.size() == 1 && list.get(0).isObject() && list.get(0).isEmpty());
    }

    /** Replaces the entries of {@code object}, sorted as upstream sorts them; no entries removes the field. */
    public static void write(ObjectNode object, List<ManagedFieldsEntry> entries) {
        JsonNode metadata = object.get("metadata");
        if (entries.isEmpty()) {
            if (metadata instanceof ObjectNode m) m.remove("managedFields");
            return;
        }
        ObjectNode m = metadata instanceof ObjectNode o ? o : object.putObject("metadata");
        ArrayNode list = JsonNodeFactory.instance.arrayNode();
        sorted(entries).forEach(e -> list.add(e.toJson()));
        m.set("managedFields", list);
    }

    static List<ManagedFieldsEntry> sorted(List<ManagedFieldsEntry> entries) {
        List<ManagedFieldsEntry> out = new ArrayList<>(entries);
        out.sort(ORDER);
        return out;
    }

    /** A copy of {@code object} without its managedFields, the form objects are compared in. */
    static ObjectNode withoutManagedFields(ObjectNode object) {
        ObjectNode copy = object.deepCopy();
        if (copy.get("metadata") instanceof ObjectNode m) {
            m.remove("managedFields");
        }
        return copy;
    }

    static Instant newest(Instant a, Instant b) {
        if (a == null) return b;
        if (b == null) return a;
        return a.isAfter(b) ? a : b;
    }
}
