package io.kedge.api.apply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;

/**
 * Decides how a concrete list is handled. A list whose elements do not fit its declared shape (a map-list element
 * without any key field, two elements with one key, a set holding objects) is handled as atomic, so a stored
 * object that predates a schema never makes writes fail.
 */
final class ListShapes {
    private ListShapes() {}

    static ListType effective(ListType declared, ArrayNode list) {
        if (!declared.isGranular()) return declared;
        return index(declared, list) == null ? ListType.ATOMIC : declared;
    }

    /** Granular only when both lists fit the declared shape; otherwise the two are compared and merged whole. */
    static ListType common(ListType declared, ArrayNode a, ArrayNode b) {
        if (!declared.isGranular()) return declared;
        return index(declared, a) == null || index(declared, b) == null ? ListType.ATOMIC : declared;
    }

    /** The elements by path element, in list order; null when the list does not fit {@code type}. */
    static LinkedHashMap<PathElement, JsonNode> index(ListType type, ArrayNode list) {
        LinkedHashMap<PathElement, JsonNode> out = new LinkedHashMap<>();
        for (JsonNode element : list) {
            PathElement pe = elementOf(type, element);
            if (pe == null || out.putIfAbsent(pe, element) != null) {
                return null;
            }
        }
        return out;
    }

    /** The path element naming {@code element} in a list of this type; null when the element does not fit. */
    static PathElement elementOf(ListType type, JsonNode element) {
        return switch (type.kind()) {
            case SET -> element.isContainerNode() ? null : PathElement.value(element);
            case MAP -> {
                ObjectNode key = keyOf(type, element);
                yield key == null ? null : PathElement.key(key);
            }
            case ATOMIC -> null;
        };
    }

    /**
     * The key fields of {@code element}, defaulted where the list type says so; a key field an element leaves out
     * and that has no default takes no part in the element's identity.
     */
    static ObjectNode keyOf(ListType type, JsonNode element) {
        if (!element.isObject()) return null;
        ObjectNode key = JsonNodeFactory.instance.objectNode();
        for (String k : type.keys()) {
            JsonNode v = element.get(k);
            if (v == null || v.isNull()) {
                v = type.keyDefaults().get(k);
            }
            if (v != null) {
                key.set(k, v);
            }
        }
        return key.isEmpty() ? null : key;
    }
}
