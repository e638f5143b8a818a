package io.kedge.api.patch;

import static io.kedge.api.patch.StrategicMergePatch.at;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** The list half of {@link StrategicMergePatch}: replace, merge as a set, or merge by key, then order. */
final class ListMerge {

    /** A result element, with what identifies it and where it stood in the original list (or not at all). */
    private record Entry(JsonNode value, JsonNode id, int originalIndex) {
        static final int NEW = Integer.MAX_VALUE;
    }

    private ListMerge() {}

    /** {@code original} is a copy the caller owns; its elements may be changed in place. */
    static ArrayNode merge(ArrayNode original, ArrayNode patch, JsonNode order, FieldStrategy strategy,
                           PatchSchema elementSchema, String path) {
        boolean replaceWhole = false;
        for (JsonNode element : patch) {
            String directive = StrategicMergePatch.directiveOf(element, path);
            replaceWhole |= directive.equals("replace");
        }
        if (replaceWhole || !strategy.strategy().mergesLists()) {
            return replaced(patch, elementSchema, path);
        }
        List<Entry> merged = strategy.mergeKey() == null
                ? mergeAsSet(original, patch, path)
                : mergeByKey(original, patch, strategy.mergeKey(), elementSchema, path);
        if (order != null) {
            merged = ordered(merged, order, patch, strategy.mergeKey(), path);
        }
        ArrayNode result = JsonNodeFactory.instance.arrayNode(merged.size());
        merged.forEach(entry -> result.add(entry.value()));
        return result;
    }

    /** The patch list as the new value; elements that only carry a delete or replace directive drop out. */
    private static ArrayNode replaced(ArrayNode patch, PatchSchema elementSchema, String path) {
        ArrayNode result = JsonNodeFactory.instance.arrayNode(patch.size());
        for (JsonNode element : patch) {
            String directive = StrategicMergePatch.directiveOf(element, path);
            if (directive.equals("merge")) {
                StrategicMergePatch.clean(element, elementSchema, path).ifPresent(result::add);
            }
        }
        return result;
    }

    private static List<Entry> mergeAsSet(ArrayNode original, ArrayNode patch, String path) {
        List<Entry> merged = new ArrayList<>();
        for (JsonNode value : original) {
            addToSet(merged, value, merged.size(), path);
        }
        for (JsonNode value : patch) {
            addToSet(merged, value, Entry.NEW, path);
        }
        return merged;
    }

    private static void addToSet(List<Entry> set, JsonNode value, int originalIndex, String path) {
        if (value.isContainerNode()) {
            throw PatchException.badRequest(at(path) + "this list merges as a set of primitive values, "
                    + "but holds " + JsonValues.typeOf(value) + ": " + JsonValues.shown(value));
        }
        for (Entry entry : set) {
            if (JsonValues.equal(entry.value(), value)) {
                return;
            }
        }
        set.add(new Entry(value.deepCopy(), value, originalIndex));
    }

    private static List<Entry> mergeByKey(ArrayNode original, ArrayNode patch, String mergeKey,
                                          PatchSchema elementSchema, String path) {
        List<Entry> merged = new ArrayList<>();
        for (int i = 0; i < original.size(); i++) {
            JsonNode element = original.get(i);
            merged.add(new Entry(element, element.isObject() ? element.get(mergeKey) : null, i));
        }
        for (int i = 0; i < patch.size(); i++) {
            JsonNode element = patch.get(i);
            JsonNode key = mergeKeyOf(element, mergeKey, i, path);
            String elementPath = path + "[" + mergeKey + "=" + (key.isTextual() ? key.textValue() : key) + "]";
            if (StrategicMergePatch.directiveOf(element, path).equals("delete")) {
                merged.removeIf(entry -> JsonValues.equal(entry.id(), key));
                continue;
            }
            int match = indexOf(merged, key);
            if (match >= 0) {
                Entry counterpart = merged.get(match);
                ObjectNode mergedElement = StrategicMergePatch.mergeElement(
                        (ObjectNode) counterpart.value(), (ObjectNode) element, elementSchema, elementPath);
                merged.set(match, new Entry(mergedElement, key, counterpart.originalIndex()));
            } else {
                ObjectNode added = StrategicMergePatch.mergeElement(
                        JsonNodeFactory.instance.objectNode(), (ObjectNode) element, elementSchema, elementPath);
                merged.add(new Entry(added, key, Entry.NEW));
            }
        }
        return merged;
    }

    private static JsonNode mergeKeyOf(JsonNode element, String mergeKey, int index, String path) {
        if (!element.isObject()) {
            throw PatchException.badRequest(at(path) + "element " + index + " of the patch must be an object "
                    + "carrying the merge key \"" + mergeKey + "\", got " + JsonValues.shown(element));
        }
        JsonNode key = element.get(mergeKey);
        if (key == null || key.isNull() || key.isContainerNode()) {
            throw PatchException.badRequest(at(path) + "element " + index + " of the patch has no value for the "
                    + "merge key \"" + mergeKey + "\": " + JsonValues.shown(element));
        }
        return key;
    }

    private static int indexOf(List<Entry> entries, JsonNode id) {
        for (int i = 0; i < entries.size(); i++) {
            if (JsonValues.equal(entries.get(i).id(), id)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Puts the elements that {@code $setElementOrder} names in its order, and slots the others (the server's
     * own, which the patch never mentions) back in where they stood relative to the original list.
     */
    private static List<Entry> ordered(List<Entry> merged, JsonNode order, ArrayNode patch, String mergeKey,
                                       String path) {
        if (!order.isArray()) {
            throw PatchException.badRequest(at(path) + "\"$setElementOrder\" must be a list, got "
                    + JsonValues.typeOf(order));
        }
        List<JsonNode> orderIds = new ArrayList<>();
        for (JsonNode element : order) {
            orderIds.add(mergeKey == null ? primitive(element, path) : mergeKeyOf(element, mergeKey, orderIds.size(),
                    path + " \"$setElementOrder\""));
        }
        for (JsonNode element : patch) {
            if (StrategicMergePatch.directiveOf(element, path).equals("delete")) {
                continue;
            }
            JsonNode id = mergeKey == null ? element : element.get(mergeKey);
            if (positionIn(orderIds, id) == Integer.MAX_VALUE) {
                throw PatchException.badRequest(at(path) + "\"$setElementOrder\" does not list "
                        + JsonValues.shown(id) + ", which the patch sets");
            }
        }
        List<Entry> named = new ArrayList<>();
        List<Entry> others = new ArrayList<>();
        for (Entry entry : merged) {
            (positionIn(orderIds, entry.id()) == Integer.MAX_VALUE ? others : named).add(entry);
        }
        named.sort(Comparator.comparingInt(entry -> positionIn(orderIds, entry.id())));
        List<Entry> result = new ArrayList<>(merged.size());
        int n = 0;
        int o = 0;
        while (n < named.size() || o < others.size()) {
            boolean takeOther = n == named.size()
                    || (o < others.size() && others.get(o).originalIndex() < named.get(n).originalIndex());
            result.add(takeOther ? others.get(o++) : named.get(n++));
        }
        return result;
    }

    private static JsonNode primitive(JsonNode element, String path) {
        if (element.isContainerNode()) {
            throw PatchException.badRequest(at(path) + "\"$setElementOrder\" of a list of primitives must list "
                    + "primitive values, found " + JsonValues.shown(element));
        }
        return element;
    }

    private static int positionIn(List<JsonNode> ids, JsonNode id) {
        if (id == null) {
            return Integer.MAX_VALUE;
        }
        for (int i = 0; i < ids.size(); i++) {
            if (JsonValues.equal(ids.get(i), id)) {
                return i;
            }
        }
        return Integer.MAX_VALUE;
    }
}
