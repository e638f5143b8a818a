package io.kedge.api.table;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Tolerant reads from object trees: a missing or mistyped field reads as its zero value. */
final class Fields {
    static final String NONE = "<none>";
    static final String UNKNOWN = "<unknown>";

    private Fields() {}

    /** Follows object keys; never null, MissingNode when any step is absent. */
    static JsonNode at(JsonNode node, String... path) {
        JsonNode cur = node == null ? MissingNode.getInstance() : node;
        for (String key : path) {
            cur = cur.path(key);
        }
        return cur;
    }

    /** The text of a scalar field, or "" when it is absent, null or not a scalar. */
    static String text(JsonNode node, String... path) {
        JsonNode v = at(node, path);
        return v.isValueNode() && !v.isNull() ? v.asText() : "";
    }

    static String textOr(String fallback, JsonNode node, String... path) {
        String s = text(node, path);
        return s.isEmpty() ? fallback : s;
    }

    static boolean present(JsonNode node, String... path) {
        JsonNode v = at(node, path);
        return !v.isMissingNode() && !v.isNull();
    }

    static long number(JsonNode node, String... path) {
        JsonNode v = at(node, path);
        if (v.isNumber()) {
            return v.asLong();
        }
        if (v.isTextual()) {
            try {
                return Long.parseLong(v.asText().trim());
            } catch (NumberFormatException e) {
                return 0;
            }
        }
        return 0;
    }

    static long numberOr(long fallback, JsonNode node, String... path) {
        return present(node, path) ? number(node, path) : fallback;
    }

    static boolean bool(JsonNode node, String... path) {
        JsonNode v = at(node, path);
        return v.isBoolean() ? v.booleanValue() : "true".equalsIgnoreCase(v.asText(""));
    }

    /** The elements of an array field; empty when it is absent or not an array. */
    static List<JsonNode> list(JsonNode node, String... path) {
        JsonNode v = at(node, path);
        List<JsonNode> out = new ArrayList<>();
        if (v.isArray()) {
            v.forEach(out::add);
        }
        return out;
    }

    /** The number of entries of an object or array field. */
    static int size(JsonNode node, String... path) {
        JsonNode v = at(node, path);
        return v.isObject() || v.isArray() ? v.size() : 0;
    }

    static String name(JsonNode object) {
        return text(object, "metadata", "name");
    }

    /** An RFC 3339 timestamp field, if present and well formed. */
    static Optional<Instant> time(JsonNode node, String... path) {
        return parseTime(text(node, path));
    }

    static Optional<Instant> parseTime(String s) {
        if (s == null || s.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(OffsetDateTime.parse(s, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant());
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** How long ago a timestamp field lies, or {@code <unknown>} when it is unset. */
    static String since(Instant now, JsonNode node, String... path) {
        return time(node, path).map(t -> HumanDuration.since(t, now)).orElse(UNKNOWN);
    }

    static String age(JsonNode object, Instant now) {
        return since(now, object, "metadata", "creationTimestamp");
    }

    static String joined(List<String> parts, String separator, String whenEmpty) {
        return parts.isEmpty() ? whenEmpty : String.join(separator, parts);
    }
}
