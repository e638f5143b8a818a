package io.kedge.controllers.units;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import io.kedge.api.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The labels, annotations and taints a unit sets on a member node. What was last pushed is kept on the
 * node itself, in {@link #ANNOTATION}, so that a restarted controller still knows what is its own to
 * take back and what was there before or was set by someone else.
 */
record Pushed(Map<String, String> labels, Map<String, String> annotations, List<Taint> taints) {
    static final String ANNOTATION = "kedge.io/unit-pushed";
    static final Pushed NOTHING = new Pushed(Map.of(), Map.of(), List.of());

    Pushed {
        labels = Map.copyOf(labels);
        annotations = Map.copyOf(annotations);
        taints = taints.stream().map(Pushed::plain).toList();
    }

    boolean isEmpty() {
        return labels.isEmpty() && annotations.isEmpty() && taints.isEmpty();
    }

    /** The record as the node annotation holds it; the unit is named for a reader, not for the controller. */
    String toJson(String unit) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("unit", unit);
        o.set("labels", Json.MAPPER.valueToTree(new java.util.TreeMap<>(labels)));
        o.set("annotations", Json.MAPPER.valueToTree(new java.util.TreeMap<>(annotations)));
        var ts = o.putArray("taints");
        for (Taint t : taints) {
            ObjectNode j = ts.addObject().put("key", t.getKey()).put("effect", t.getEffect());
            if (t.getValue() != null) {
                j.put("value", t.getValue());
            }
        }
        return o.toString();
    }

    /** The unit named in a node's record, or null. */
    static String unitOf(String json) {
        JsonNode n = parse(json);
        return n == null || !n.path("unit").isTextual() ? null : n.path("unit").asText();
    }

    /** A node's record; NOTHING when it has none or it is unreadable (then nothing is taken back). */
    static Pushed fromJson(String json) {
        JsonNode n = parse(json);
        if (n == null) {
            return NOTHING;
        }
        List<Taint> taints = new ArrayList<>();
        for (JsonNode t : n.path("taints")) {
            if (t.path("key").isTextual() && t.path("effect").isTextual()) {
                taints.add(new TaintBuilder().withKey(t.path("key").asText()).withEffect(t.path("effect").asText())
                        .withValue(t.path("value").isTextual() ? t.path("value").asText() : null).build());
            }
        }
        return new Pushed(strings(n.path("labels")), strings(n.path("annotations")), taints);
    }

    private static JsonNode parse(String json) {
        if (json == null || json.isBlank()) {
            return null;
        }
        try {
            JsonNode n = Json.MAPPER.readTree(json);
            return n.isObject() ? n : null;
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    private static Map<String, String> strings(JsonNode o) {
        Map<String, String> m = new LinkedHashMap<>();
        o.fields().forEachRemaining(e -> {
            if (e.getValue().isTextual()) {
                m.put(e.getKey(), e.getValue().asText());
            }
        });
        return m;
    }

    /** Key, value and effect only: a pushed taint carries no timeAdded, and compares by those three. */
    static Taint plain(Taint t) {
        return new TaintBuilder().withKey(t.getKey()).withValue(emptyToNull(t.getValue())).withEffect(t.getEffect()).build();
    }

    static boolean sameTaint(Taint a, Taint b) {
        return Objects.equals(a.getKey(), b.getKey()) && Objects.equals(a.getEffect(), b.getEffect())
                && Objects.equals(emptyToNull(a.getValue()), emptyToNull(b.getValue()));
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
