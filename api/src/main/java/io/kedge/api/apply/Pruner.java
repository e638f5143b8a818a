package io.kedge.api.apply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Removes from an object the fields an applier owned before and no longer applies, unless some manager still
 * owns them or something below them. A map emptied this way goes too, when nobody owns anything in it.
 */
final class Pruner {
    private Pruner() {}

    /**
     * @param candidates the applier's previous fields minus every field some manager owns now
     * @param owned      every field some manager owns now, the applier's new configuration included
     */
    static void prune(ObjectNode object, FieldSet candidates, FieldSet owned, ListTypes lists) {
        if (candidates.isEmpty()) return;
        pruneObject(object, candidates.node(), owned.node(), lists, Set.of());
    }

    /** @return whether anything was removed */
    private static boolean pruneObject(ObjectNode object, FieldSet.Node candidates, FieldSet.Node owned,
                                       ListTypes lists, Set<String> keyFields) {
        boolean removed = false;
        for (Map.Entry<PathElement, FieldSet.Node> e : candidates.children.entrySet()) {
            PathElement pe = e.getKey();
            if (!pe.isField() || keyFields.contains(pe.fieldName())) continue;
            String name = pe.fieldName();
            JsonNode value = object.get(name);
            if (value == null) continue;
            FieldSet.Node candidate = e.getValue();
            FieldSet.Node ownedBelow = owned == null ? null : owned.child(pe);
            if (candidate.member && ownedBelow == null) {
                object.remove(name);
                removed = true;
                continue;
            }
            boolean removedInside = false;
            if (value instanceof ObjectNode inner) {
                removedInside = pruneObject(inner, candidate, ownedBelow, lists.child(name), Set.of());
            } else if (value instanceof ArrayNode list) {
                removedInside = pruneList(list, candidate, ownedBelow, lists.child(name), lists.listTypeOf(name));
            }
            if (removedInside) {
                removed = true;
                if (value.isEmpty() && ownedBelow == null) {
                    object.remove(name);
                }
            }
        }
        return removed;
    }

    private static boolean pruneList(ArrayNode list, FieldSet.Node candidates, FieldSet.Node owned,
                                     ListTypes below, ListType declared) {
        ListType type = ListShapes.effective(declared, list);
        if (!type.isGranular()) return false;
        boolean removed = false;
        List<Integer> doomed = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            JsonNode element = list.get(i);
            PathElement pe = ListShapes.elementOf(type, element);
            FieldSet.Node candidate = candidates.child(pe);
            if (candidate == null) continue;
            FieldSet.Node ownedBelow = owned == null ? null : owned.child(pe);
            if (candidate.member && ownedBelow == null) {
                doomed.add(i);
            } else if (type.kind() == ListType.Kind.MAP && element instanceof ObjectNode o) {
                // the key fields stay whatever happens: they are what makes the element this element
                removed |= pruneObject(o, candidate, ownedBelow, below, Set.copyOf(type.keys()));
            }
        }
        for (int i = doomed.size() - 1; i >= 0; i--) {
            list.remove((int) doomed.get(i));
            removed = true;
        }
        return removed;
    }
}
