package io.kedge.api.apply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What changed between two versions of an object, path by path. A subtree that appears or disappears as a whole
 * is reported with all its nodes, containers included, as upstream's comparison does.
 */
record Comparison(FieldSet added, FieldSet removed, FieldSet modified) {

    static Comparison between(JsonNode before, JsonNode after, ListTypes lists) {
        Walk w = new Walk();
        w.objects(before, after, lists, new FieldPath(List.of()));
        return new Comparison(w.added.build(), w.removed.build(), w.modified.build());
    }

    /** Drops the fields nobody may own in this scope. */
    Comparison filtered(TrackedScope scope) {
        return new Comparison(scope.filter(added), scope.filter(removed), scope.filter(modified));
    }

    FieldSet addedOrModified() {
        return added.union(modified);
    }

    boolean isSame() {
        return added.isEmpty() && removed.isEmpty() && modified.isEmpty();
    }

    private static final class Walk {
        final FieldSet.Builder added = new FieldSet.Builder();
        final FieldSet.Builder removed = new FieldSet.Builder();
        final FieldSet.Builder modified = new FieldSet.Builder();

        void objects(JsonNode before, JsonNode after, ListTypes lists, FieldPath at) {
            Set<String> names = new LinkedHashSet<>();
            before.fieldNames().forEachRemaining(names::add);
            after.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                value(before.get(name), after.get(name), lists.child(name), lists.listTypeOf(name),
                        at.append(PathElement.field(name)));
            }
        }

        void value(JsonNode before, JsonNode after, ListTypes below, ListType declared, FieldPath p) {
            if (before == null) {
                ObjectFields.allNodes(after, below, declared, p, added);
                return;
            }
            if (after == null) {
                ObjectFields.allNodes(before, below, declared, p, removed);
                return;
            }
            if (before.isObject() && after.isObject() && !(before.isEmpty() && after.isEmpty())) {
                objects(before, after, below, p);
                return;
            }
            if (before.isArray() && after.isArray() && !(before.isEmpty() && after.isEmpty())) {
                ListType type = ListShapes.common(declared, (ArrayNode) before, (ArrayNode) after);
                if (type.isGranular()) {
                    lists(ListShapes.index(type, (ArrayNode) before), ListShapes.index(type, (ArrayNode) after),
                            type, below, p);
                    return;
                }
            }
            if (!JsonEquality.equal(before, after)) {
                modified.insert(p);
                if (before.getNodeType() != after.getNodeType()) {
                    // a container replaced by something of another shape takes its whole content with it
                    ObjectFields.descendants(before, below, declared, p, removed);
                    ObjectFields.descendants(after, below, declared, p, added);
                }
            }
        }

        void lists(LinkedHashMap<PathElement, JsonNode> before, LinkedHashMap<PathElement, JsonNode> after,
                   ListType type, ListTypes below, FieldPath p) {
            Map<PathElement, JsonNode> all = new LinkedHashMap<>(before);
            after.forEach(all::putIfAbsent);
            for (PathElement pe : all.keySet()) {
                JsonNode b = before.get(pe);
                JsonNode a = after.get(pe);
                FieldPath ep = p.append(pe);
                if (b == null) {
                    added.insert(ep);
                    if (type.kind() == ListType.Kind.MAP) ObjectFields.descendants(a, below, ListType.ATOMIC, ep, added);
                } else if (a == null) {
                    removed.insert(ep);
                    if (type.kind() == ListType.Kind.MAP) ObjectFields.descendants(b, below, ListType.ATOMIC, ep, removed);
                } else if (type.kind() == ListType.Kind.MAP) {
                    objects(b, a, below, ep);
                }
            }
        }
    }
}
