package io.kedge.api.apply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.kedge.api.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Map;

/** YAML helpers and the list shapes of a Deployment, enough for the apply tests. */
final class ApplyFixtures {
    static final Instant T1 = Instant.parse("2026-01-01T10:00:00Z");
    static final Instant T2 = Instant.parse("2026-01-01T11:00:00Z");
    static final Instant T3 = Instant.parse("2026-01-01T12:00:00Z");

    static final ListTypes DEPLOYMENT = ListTypes.byPath(Map.of(
            "spec.template.spec.containers", ListType.map("name"),
            "spec.template.spec.containers.ports", ListType.map("containerPort", "protocol")
                    .withKeyDefault("protocol", TextNode.valueOf("TCP")),
            "spec.template.spec.containers.env", ListType.map("name"),
            "metadata.finalizers", ListType.SET));

    private ApplyFixtures() {}

    static ObjectNode yaml(String text) {
        try {
            return (ObjectNode) Json.YAML.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode json(String text) {
        try {
            return Json.MAPPER.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The fieldsV1 of the one entry of {@code manager} in {@code obj}, as compact JSON. */
    static String fieldsOf(ObjectNode obj, String manager) {
        return entryOf(obj, manager).path("fieldsV1").toString();
    }

    static JsonNode entryOf(ObjectNode obj, String manager) {
        JsonNode found = null;
        for (JsonNode e : obj.path("metadata").path("managedFields")) {
            if (e.path("manager").asText().equals(manager)) {
                if (found != null) throw new AssertionError("two entries for " + manager + " in " + obj);
                found = e;
            }
        }
        if (found == null) throw new AssertionError("no entry for " + manager + " in " + obj.path("metadata"));
        return found;
    }

    static int entryCount(ObjectNode obj) {
        return obj.path("metadata").path("managedFields").size();
    }
}
