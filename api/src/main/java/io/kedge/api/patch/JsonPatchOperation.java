package io.kedge.api.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Set;

/** One RFC 6902 operation, checked for shape when parsed and applied to a document this class may mutate. */
final class JsonPatchOperation {
    private static final Set<String> OPS = Set.of("add", "remove", "replace", "move", "copy", "test");
    private static final int MAX_INDEX_DIGITS = 9;

    private final String op;
    private final JsonPointer path;
    private final JsonPointer from;
    private final JsonNode value;

    private JsonPatchOperation(String op, JsonPointer path, JsonPointer from, JsonNode value) {
        this.op = op;
        this.path = path;
        this.from = from;
        this.value = value;
    }

    static JsonPatchOperation parse(JsonNode node) {
        if (!node.isObject()) {
            throw PatchException.badRequest("an operation must be an object, got " + JsonValues.typeOf(node));
        }
        String op = requiredText(node, "op", "");
        if (!OPS.contains(op)) {
            throw PatchException.badRequest("unknown op \"" + op + "\"; expected one of add, remove, replace, move, copy, test");
        }
        JsonPointer path = JsonPointer.parse(requiredText(node, "path", op));
        JsonPointer from = null;
        if (op.equals("move") || op.equals("copy")) {
            from = JsonPointer.parse(requiredText(node, "from", op));
        }
        JsonNode value = null;
        if (op.equals("add") || op.equals("replace") || op.equals("test")) {
            if (!node.has("value")) {
                throw PatchException.badRequest("\"" + op + "\" operation has no \"value\"");
            }
            value = node.get("value");
        }
        return new JsonPatchOperation(op, path, from, value);
    }

    private static String requiredText(JsonNode node, String member, String op) {
        JsonNode text = node.get(member);
        String what = op.isEmpty() ? "operation" : "\"" + op + "\" operation";
        if (text == null) {
            throw PatchException.badRequest(what + " has no \"" + member + "\"");
        }
        if (!text.isTextual()) {
            throw PatchException.badRequest(what + ": \"" + member + "\" must be a string, got " + JsonValues.typeOf(text));
        }
        return text.textValue();
    }

    String describe() {
        return from == null ? op + " " + path : op + " " + from + " -> " + path;
    }

    /** Applies the operation to {@code doc}, which it may change in place; returns the new root. */
    JsonNode applyTo(JsonNode doc) {
        switch (op) {
            case "add":
                return add(doc, path, value.deepCopy());
            case "remove":
                remove(doc, path);
                return doc;
            case "replace":
                return replace(doc, value.deepCopy());
            case "move":
                return move(doc);
            case "copy":
                return add(doc, path, resolve(doc, from.tokens(), from).deepCopy());
            default:
                test(doc);
                return doc;
        }
    }

    private static JsonNode add(JsonNode doc, JsonPointer target, JsonNode newValue) {
        if (target.isRoot()) {
            return newValue;
        }
        JsonNode parent = resolve(doc, target.parentTokens(), target);
        String last = target.lastToken();
        if (parent.isObject()) {
            ((ObjectNode) parent).set(last, newValue);
        } else if (parent.isArray()) {
            ((ArrayNode) parent).insert(arrayIndex(last, parent.size(), true, target), newValue);
        } else {
            throw notAContainer(parent, target);
        }
        return doc;
    }

    private static JsonNode remove(JsonNode doc, JsonPointer target) {
        if (target.isRoot()) {
            throw PatchException.invalid("cannot remove the whole document");
        }
        JsonNode parent = resolve(doc, target.parentTokens(), target);
        String last = target.lastToken();
        if (parent.isObject()) {
            if (!parent.has(last)) {
                throw missing(target);
            }
            return ((ObjectNode) parent).remove(last);
        }
        if (parent.isArray()) {
            return ((ArrayNode) parent).remove(arrayIndex(last, parent.size(), false, target));
        }
        throw notAContainer(parent, target);
    }

    private JsonNode replace(JsonNode doc, JsonNode newValue) {
        if (path.isRoot()) {
            return newValue;
        }
        JsonNode parent = resolve(doc, path.parentTokens(), path);
        String last = path.lastToken();
        if (parent.isObject()) {
            if (!parent.has(last)) {
                throw missing(path);
            }
            ((ObjectNode) parent).set(last, newValue);
        } else if (parent.isArray()) {
            ((ArrayNode) parent).set(arrayIndex(last, parent.size(), false, path), newValue);
        } else {
            throw notAContainer(parent, path);
        }
        return doc;
    }

    private JsonNode move(JsonNode doc) {
        if (from.isProperPrefixOf(path)) {
            throw PatchException.invalid("cannot move " + from + " into its own child " + path);
        }
        if (from.tokens().equals(path.tokens())) {
            resolve(doc, from.tokens(), from);
            return doc;
        }
        JsonNode moved = remove(doc, from);
        return add(doc, path, moved);
    }

    private void test(JsonNode doc) {
        JsonNode actual = resolve(doc, path.tokens(), path);
        if (!JsonValues.equal(actual, value)) {
            throw PatchException.invalid("test failed: value at " + (path.isRoot() ? "the document root" : path)
                    + " is " + JsonValues.shown(actual) + ", expected " + JsonValues.shown(value));
        }
    }

    private static JsonNode resolve(JsonNode doc, List<String> tokens, JsonPointer whole) {
        JsonNode node = doc;
        for (String token : tokens) {
            JsonNode child;
            if (node.isObject()) {
                child = node.get(token);
            } else if (node.isArray()) {
                child = node.get(arrayIndex(token, node.size(), false, whole));
            } else {
                throw notAContainer(node, whole);
            }
            if (child == null) {
                throw missing(whole);
            }
            node = child;
        }
        return node;
    }

    private static int arrayIndex(String token, int size, boolean mayAppend, JsonPointer whole) {
        if (token.equals("-")) {
            if (mayAppend) {
                return size;
            }
            throw PatchException.invalid("path " + whole + ": \"-\" names the position after the last array element, "
                    + "which only \"add\" can use");
        }
        if (!token.matches("0|[1-9][0-9]*")) {
            throw PatchException.invalid("path " + whole + ": \"" + token + "\" is not an array index");
        }
        int limit = mayAppend ? size : size - 1;
        if (token.length() > MAX_INDEX_DIGITS || Integer.parseInt(token) > limit) {
            throw PatchException.invalid("path " + whole + ": index " + token + " is out of bounds for an array of "
                    + size + " element" + (size == 1 ? "" : "s"));
        }
        return Integer.parseInt(token);
    }

    private static PatchException missing(JsonPointer target) {
        return PatchException.invalid("path " + target + " does not exist");
    }

    private static PatchException notAContainer(JsonNode node, JsonPointer target) {
        return PatchException.invalid("path " + target + " goes through " + JsonValues.typeOf(node)
                + ", which has no members");
    }
}
