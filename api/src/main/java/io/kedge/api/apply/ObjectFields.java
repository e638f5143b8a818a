package io.kedge.api.apply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.util.Map;

/** Field sets read off an object. */
final class ObjectFields {
    private ObjectFields() {}

    /** Leaves and list elements: what an applier owns by sending {@code object}. */
    static FieldSet of(JsonNode object, ListTypes lists) {
        java.util.Objects.requireNonNull(lists, "lists (use ListTypes.none() when no list is declared)");
        FieldSet.Builder b = new FieldSet.Builder();
        if (object != null && object.isObject()) {
            leavesOfObject(object, lists, new FieldPath(java.util.List.of()), b);
        }
        return b.build();
    }

    private static void leavesOfObject(JsonNode object, ListTypes lists, FieldPath at, FieldSet.Builder b) {
        for (Map.Entry<String, JsonNode> e : object.properties()) {
            FieldPath p = at.append(PathElement.field(e.getKey()));
            leavesOfValue(e.getValue(), lists.child(e.getKey()), lists.listTypeOf(e.getKey()), p, b);
        }
    }

    private static void leavesOfValue(JsonNode v, ListTypes below, ListType declared, FieldPath p, FieldSet.Builder b) {
        if (v.isObject() && !v.isEmpty()) {
            leavesOfObject(v, below, p, b);
            return;
        }
        if (v.isArray() && !v.isEmpty()) {
            ListType type = ListShapes.effective(declared, (ArrayNode) v);
            if (type.isGranular()) {
                for (JsonNode element : v) {
                    FieldPath ep = p.append(ListShapes.elementOf(type, element));
                    b.insert(ep);
                    if (type.kind() == ListType.Kind.MAP) {
                        leavesOfObject(element, below, ep, b);
                    }
                }
                return;
            }
        }
        b.insert(p);
    }

    /**
     * Every node of the value at {@code p}, containers included: what a comparison reports when a whole subtree
     * appears or disappears.
     */
    static void allNodes(JsonNode v, ListTypes below, ListType declared, FieldPath p, FieldSet.Builder b) {
        b.insert(p);
        descendants(v, below, declared, p, b);
    }

    /** Every node strictly below the value at {@code p}. */
    static void descendants(JsonNode v, ListTypes below, ListType declared, FieldPath p, FieldSet.Builder b) {
        if (v.isObject()) {
            for (Map.Entry<String, JsonNode> e : v.properties()) {
                allNodes(e.getValue(), below.child(e.getKey()), below.listTypeOf(e.getKey()),
                        p.append(PathElement.field(e.getKey())), b);
            }
        } else if (v.isArray()) {
            ListType type = ListShapes.effective(declared, (ArrayNode) v);
            if (!type.isGranular()) return;
            for (JsonNode element : v) {
                FieldPath ep = p.append(ListShapes.elementOf(type, element));
                b.insert(ep);
                if (type.kind() == ListType.Kind.MAP) {
                    descendants(element, below, ListType.ATOMIC, ep, b);
                }
            }
        }
    }
}
