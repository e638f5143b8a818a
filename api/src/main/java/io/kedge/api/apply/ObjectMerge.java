package io.kedge.api.apply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Merges an applied configuration into a live object: maps field by field, map-lists element by key, sets by
 * value, everything else replaced. A field the configuration sets to null is removed: that is how an applier
 * says "unset".
 */
final class ObjectMerge {
    private ObjectMerge() {}

    static ObjectNode merge(ObjectNode live, ObjectNode config, ListTypes lists) {
        return mergeObjects(live, config, lists);
    }

    private static ObjectNode mergeObjects(JsonNode live, JsonNode config, ListTypes lists) {
        ObjectNode out = live.deepCopy();
        for (Map.Entry<String, JsonNode> e : config.properties()) {
            String name = e.getKey();
            if (e.getValue().isNull()) {
                out.remove(name);
            } else {
                out.set(name, mergeValues(live.get(name), e.getValue(), lists.child(name), lists.listTypeOf(name)));
            }
        }
        return out;
    }

    private static JsonNode mergeValues(JsonNode live, JsonNode config, ListTypes below, ListType declared) {
        if (live == null) {
            return withoutNulls(config);
        }
        if (live.isObject() && config.isObject()) {
            return mergeObjects(live, config, below);
        }
        if (live.isArray() && config.isArray()) {
            ListType type = ListShapes.common(declared, (ArrayNode) live, (ArrayNode) config);
            if (type.isGranular()) {
                return mergeLists((ArrayNode) live, (ArrayNode) config, type, below);
            }
        }
        return withoutNulls(config);
    }

    /**
     * Elements only the live list has keep their place after the element that preceded them there; the
     * configuration's elements come in the configuration's order.
     */
    private static ArrayNode mergeLists(ArrayNode live, ArrayNode config, ListType type, ListTypes below) {
        LinkedHashMap<PathElement, JsonNode> liveByKey = ListShapes.index(type, live);
        LinkedHashMap<PathElement, JsonNode> configByKey = ListShapes.index(type, config);
        Map<PathElement, List<JsonNode>> followers = new HashMap<>();
        List<JsonNode> leading = new ArrayList<>();
        PathElement previousShared = null;
        for (Map.Entry<PathElement, JsonNode> e : liveByKey.entrySet()) {
            if (configByKey.containsKey(e.getKey())) {
                previousShared = e.getKey();
            } else if (previousShared == null) {
                leading.add(e.getValue());
            } else {
                followers.computeIfAbsent(previousShared, k -> new ArrayList<>()).add(e.getValue());
            }
        }
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        leading.forEach(n -> out.add(n.deepCopy()));
        for (Map.Entry<PathElement, JsonNode> e : configByKey.entrySet()) {
            JsonNode liveElement = liveByKey.get(e.getKey());
            if (liveElement != null && type.kind() == ListType.Kind.MAP) {
                out.add(mergeObjects(liveElement, e.getValue(), below));
            } else {
                out.add(withoutNulls(e.getValue()));
            }
            followers.getOrDefault(e.getKey(), List.of()).forEach(n -> out.add(n.deepCopy()));
        }
        return out;
    }

    /** A copy of a configuration value with its null-valued object fields left out. */
    static JsonNode withoutNulls(JsonNode v) {
        if (v.isObject()) {
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            v.properties().forEach(e -> {
                if (!e.getValue().isNull()) out.set(e.getKey(), withoutNulls(e.getValue()));
            });
            return out;
        }
        if (v.isArray()) {
            ArrayNode out = JsonNodeFactory.instance.arrayNode();
            v.forEach(element -> out.add(withoutNulls(element)));
            return out;
        }
        return v.deepCopy();
    }
}
