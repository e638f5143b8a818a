package io.kedge.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;

/** Reads and writes the {@code metadata} of an object held as a JSON tree. */
public final class Meta {
    private static final DateTimeFormatter RFC3339 = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'")
            .withZone(ZoneOffset.UTC);

    private Meta() {}

    public static ObjectNode metadata(ObjectNode obj) {
        JsonNode m = obj.get("metadata");
        if (m instanceof ObjectNode o) {
            return o;
        }
        return obj.putObject("metadata");
    }

    public static String text(JsonNode node, String field) {
        JsonNode v = node == null ? null : node.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    public static String name(JsonNode obj) {
        return text(obj.get("metadata"), "name");
    }

    public static String namespace(JsonNode obj) {
        return text(obj.get("metadata"), "namespace");
    }

    public static String resourceVersion(JsonNode obj) {
        return text(obj.get("metadata"), "resourceVersion");
    }

    public static String uid(JsonNode obj) {
        return text(obj.get("metadata"), "uid");
    }

    public static boolean isDeleting(JsonNode obj) {
        return text(obj.get("metadata"), "deletionTimestamp") != null;
    }

    public static Map<String, String> labels(JsonNode obj) {
        return stringMap(obj.path("metadata").get("labels"));
    }

    public static Map<String, String> stringMap(JsonNode node) {
        if (node == null || !node.isObject() || node.isEmpty()) {
            return Map.of();
        }
        Map<String, String> out = new LinkedHashMap<>();
        node.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
        return out;
    }

    public static boolean hasFinalizers(JsonNode obj) {
        JsonNode f = obj.path("metadata").get("finalizers");
        return f != null && f.isArray() && !f.isEmpty();
    }

    public static String timestamp(Instant t) {
        return RFC3339.format(t.truncatedTo(ChronoUnit.SECONDS));
    }

    public static String apiVersion(String group, String version) {
        return group == null || group.isEmpty() ? version : group + "/" + version;
    }
}
