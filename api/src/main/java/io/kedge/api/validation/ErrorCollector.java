package io.kedge.api.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Gathers field errors, and reads typed fields out of a JSON tree. A field of the wrong JSON type is
 * reported once, here, and then reads as absent, so rules never meet a value they cannot handle.
 * JSON {@code null} reads as absent, as it does for the Go API types.
 */
public final class ErrorCollector {
    private final List<FieldError> errors = new ArrayList<>();

    public void add(FieldError error) {
        errors.add(error);
    }

    public List<FieldError> errors() {
        return List.copyOf(errors);
    }

    public boolean isEmpty() {
        return errors.isEmpty();
    }

    public int size() {
        return errors.size();
    }

    public void required(FieldPath path, String detail) {
        add(FieldError.required(path, detail));
    }

    public void invalid(FieldPath path, Object value, String detail) {
        add(FieldError.invalid(path, value, detail));
    }

    /** One Invalid error per message: the shape of the name/format checks in {@link Formats}. */
    public void invalidEach(FieldPath path, Object value, List<String> messages) {
        for (String m : messages) {
            invalid(path, value, m);
        }
    }

    public void notSupported(FieldPath path, Object value, Collection<String> supported) {
        add(FieldError.notSupported(path, value, supported));
    }

    public void duplicate(FieldPath path, Object value) {
        add(FieldError.duplicate(path, value));
    }

    public void forbidden(FieldPath path, String detail) {
        add(FieldError.forbidden(path, detail));
    }

    public void notFound(FieldPath path, Object value) {
        add(FieldError.notFound(path, value));
    }

    public void tooLong(FieldPath path, long maxBytes) {
        add(FieldError.tooLong(path, maxBytes));
    }

    public void tooMany(FieldPath path, int actual, int max) {
        add(FieldError.tooMany(path, actual, max));
    }

    // ---- typed reads -------------------------------------------------------------------------

    /** The child object, or null when absent; a non-object is reported. */
    public ObjectNode object(JsonNode parent, String name, FieldPath parentPath) {
        JsonNode n = present(parent, name);
        if (n == null) {
            return null;
        }
        if (!n.isObject()) {
            add(FieldError.typeInvalid(parentPath.child(name), n, "object"));
            return null;
        }
        return (ObjectNode) n;
    }

    public ArrayNode array(JsonNode parent, String name, FieldPath parentPath) {
        JsonNode n = present(parent, name);
        if (n == null) {
            return null;
        }
        if (!n.isArray()) {
            add(FieldError.typeInvalid(parentPath.child(name), n, "array"));
            return null;
        }
        return (ArrayNode) n;
    }

    public String string(JsonNode parent, String name, FieldPath parentPath) {
        JsonNode n = present(parent, name);
        if (n == null) {
            return null;
        }
        if (!n.isTextual()) {
            add(FieldError.typeInvalid(parentPath.child(name), n, "string"));
            return null;
        }
        return n.textValue();
    }

    /** A string that must be present and non-empty; reports Required otherwise. */
    public String requiredString(JsonNode parent, String name, FieldPath parentPath, String detail) {
        JsonNode raw = present(parent, name);
        String s = string(parent, name, parentPath);
        if ((s == null || s.isEmpty()) && (raw == null || raw.isTextual())) {
            required(parentPath.child(name), detail);
            return null;
        }
        return s == null || s.isEmpty() ? null : s;
    }

    public Long int64(JsonNode parent, String name, FieldPath parentPath) {
        return integral(parent, name, parentPath, Long.MIN_VALUE, Long.MAX_VALUE, "int64");
    }

    public Integer int32(JsonNode parent, String name, FieldPath parentPath) {
        Long v = integral(parent, name, parentPath, Integer.MIN_VALUE, Integer.MAX_VALUE, "int32");
        return v == null ? null : v.intValue();
    }

    private Long integral(JsonNode parent, String name, FieldPath parentPath, long min, long max, String type) {
        JsonNode n = present(parent, name);
        if (n == null) {
            return null;
        }
        if (!n.isIntegralNumber() || !n.canConvertToLong() || n.longValue() < min || n.longValue() > max) {
            add(FieldError.typeInvalid(parentPath.child(name), n, type));
            return null;
        }
        return n.longValue();
    }

    public Boolean bool(JsonNode parent, String name, FieldPath parentPath) {
        JsonNode n = present(parent, name);
        if (n == null) {
            return null;
        }
        if (!n.isBoolean()) {
            add(FieldError.typeInvalid(parentPath.child(name), n, "boolean"));
            return null;
        }
        return n.booleanValue();
    }

    /** An int-or-string value (ports, percentages); anything else is reported. */
    public JsonNode intOrString(JsonNode parent, String name, FieldPath parentPath) {
        JsonNode n = present(parent, name);
        if (n == null) {
            return null;
        }
        if (!n.isTextual() && !(n.isIntegralNumber() && n.canConvertToInt())) {
            add(FieldError.typeInvalid(parentPath.child(name), n, "int-or-string"));
            return null;
        }
        return n;
    }

    /** A string-to-string map (labels, data); never null. Non-string values are reported and skipped. */
    public Map<String, String> stringMap(JsonNode parent, String name, FieldPath parentPath) {
        Map<String, String> out = new LinkedHashMap<>();
        ObjectNode obj = object(parent, name, parentPath);
        if (obj == null) {
            return out;
        }
        FieldPath path = parentPath.child(name);
        for (Iterator<Map.Entry<String, JsonNode>> it = obj.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode v = e.getValue();
            if (v.isNull()) {
                out.put(e.getKey(), "");
            } else if (v.isTextual()) {
                out.put(e.getKey(), v.textValue());
            } else {
                add(FieldError.typeInvalid(path.key(e.getKey()), v, "string"));
            }
        }
        return out;
    }

    /** A list of strings; never null. Non-string items are reported and skipped. */
    public List<String> stringList(JsonNode parent, String name, FieldPath parentPath) {
        List<String> out = new ArrayList<>();
        ArrayNode arr = array(parent, name, parentPath);
        if (arr == null) {
            return out;
        }
        FieldPath path = parentPath.child(name);
        for (int i = 0; i < arr.size(); i++) {
            JsonNode v = arr.get(i);
            if (v.isTextual()) {
                out.add(v.textValue());
            } else {
                add(FieldError.typeInvalid(path.index(i), v, "string"));
            }
        }
        return out;
    }

    /**
     * The objects of a list, each with its index; non-object items are reported and skipped.
     * Never null.
     */
    public List<Indexed> objects(JsonNode parent, String name, FieldPath parentPath) {
        List<Indexed> out = new ArrayList<>();
        ArrayNode arr = array(parent, name, parentPath);
        if (arr == null) {
            return out;
        }
        FieldPath path = parentPath.child(name);
        for (int i = 0; i < arr.size(); i++) {
            JsonNode v = arr.get(i);
            if (v.isObject()) {
                out.add(new Indexed((ObjectNode) v, path.index(i), i));
            } else if (!v.isNull()) {
                add(FieldError.typeInvalid(path.index(i), v, "object"));
            }
        }
        return out;
    }

    /** A list item together with its own path. */
    public record Indexed(ObjectNode node, FieldPath path, int index) { }

    private static JsonNode present(JsonNode parent, String name) {
        if (parent == null || !parent.isObject()) {
            return null;
        }
        JsonNode n = parent.get(name);
        return n == null || n.isNull() ? null : n;
    }
}
