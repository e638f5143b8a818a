package io.kedge.api.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Lenient tree access for defaulting: a field of the wrong type is left alone (validation reports it),
 * and "unset" means what it means to the Go types: absent, null, or for strings also empty.
 */
public final class Nodes {
    private Nodes() {}

    public static ObjectNode object(JsonNode parent, String name) {
        return parent != null && parent.get(name) instanceof ObjectNode o ? o : null;
    }

    /** The child object, created when unset; null when the field holds something else. */
    public static ObjectNode ensureObject(ObjectNode parent, String name) {
        if (parent == null) {
            return null;
        }
        JsonNode n = parent.get(name);
        if (n == null || n.isNull()) {
            return parent.putObject(name);
        }
        return n instanceof ObjectNode o ? o : null;
    }

    public static ArrayNode array(JsonNode parent, String name) {
        return parent != null && parent.get(name) instanceof ArrayNode a ? a : null;
    }

    /** The object items of a list field; empty when unset or not a list. */
    public static List<ObjectNode> objects(JsonNode parent, String name) {
        List<ObjectNode> out = new ArrayList<>();
        ArrayNode arr = array(parent, name);
        if (arr != null) {
            for (JsonNode n : arr) {
                if (n instanceof ObjectNode o) {
                    out.add(o);
                }
            }
        }
        return out;
    }

    public static String text(JsonNode parent, String name) {
        JsonNode n = parent == null ? null : parent.get(name);
        return n != null && n.isTextual() ? n.textValue() : null;
    }

    /** The text, or "" when unset or not text. */
    public static String textOrEmpty(JsonNode parent, String name) {
        String s = text(parent, name);
        return s == null ? "" : s;
    }

    public static boolean isUnset(JsonNode parent, String name) {
        JsonNode n = parent.get(name);
        return n == null || n.isNull();
    }

    public static boolean isUnsetOrEmpty(JsonNode parent, String name) {
        JsonNode n = parent.get(name);
        return n == null || n.isNull() || (n.isTextual() && n.textValue().isEmpty());
    }

    public static void defaultText(ObjectNode obj, String name, String value) {
        if (obj != null && isUnsetOrEmpty(obj, name)) {
            obj.put(name, value);
        }
    }

    public static void defaultInt(ObjectNode obj, String name, long value) {
        if (obj != null && isUnset(obj, name)) {
            putNumber(obj, name, value);
        }
    }

    /** Stores small numbers as ints, as the parser would, so defaulted and parsed trees look alike. */
    public static void putNumber(ObjectNode obj, String name, long value) {
        if (value >= Integer.MIN_VALUE && value <= Integer.MAX_VALUE) {
            obj.put(name, (int) value);
        } else {
            obj.put(name, value);
        }
    }

    /** For non-pointer Go integers, where 0 also means "not given". */
    public static void defaultIntIfZero(ObjectNode obj, String name, long value) {
        if (obj == null) {
            return;
        }
        JsonNode n = obj.get(name);
        if (n == null || n.isNull() || (n.isNumber() && n.asLong() == 0)) {
            putNumber(obj, name, value);
        }
    }

    public static void defaultBool(ObjectNode obj, String name, boolean value) {
        if (obj != null && isUnset(obj, name)) {
            obj.put(name, value);
        }
    }

    /** The string entries of a map field; other entries are skipped. Never null. */
    public static Map<String, String> stringMap(JsonNode parent, String name) {
        Map<String, String> out = new LinkedHashMap<>();
        ObjectNode obj = object(parent, name);
        if (obj != null) {
            obj.fields().forEachRemaining(e -> {
                if (e.getValue().isTextual()) {
                    out.put(e.getKey(), e.getValue().textValue());
                }
            });
        }
        return out;
    }

    /**
     * Equality as the Go API types see it after a round trip: numbers compare by value, and a field that is
     * absent equals one holding a zero value (null, "", 0, false, [] or {}), since such fields are omitted.
     */
    public static boolean sameContent(JsonNode a, JsonNode b) {
        if (isZero(a) || isZero(b)) {
            return isZero(a) && isZero(b);
        }
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue()) == 0;
        }
        if (a.isObject() && b.isObject()) {
            java.util.Set<String> names = new java.util.HashSet<>();
            a.fieldNames().forEachRemaining(names::add);
            b.fieldNames().forEachRemaining(names::add);
            for (String n : names) {
                if (!sameContent(a.get(n), b.get(n))) {
                    return false;
                }
            }
            return true;
        }
        if (a.isArray() && b.isArray()) {
            if (a.size() != b.size()) {
                return false;
            }
            for (int i = 0; i < a.size(); i++) {
                if (!sameContent(a.get(i), b.get(i))) {
                    return false;
                }
            }
            return true;
        }
        return a.equals(b);
    }

    private static boolean isZero(JsonNode n) {
        return n == null || n.isNull() || n.isMissingNode()
                || (n.isTextual() && n.textValue().isEmpty())
                || (n.isBoolean() && !n.booleanValue())
                || (n.isNumber() && n.decimalValue().signum() == 0)
                || (n.isArray() && n.isEmpty())
                || (n.isObject() && allZero(n));
    }

    private static boolean allZero(JsonNode object) {
        for (JsonNode child : object) {
            if (!isZero(child)) {
                return false;
            }
        }
        return true;
    }
}
