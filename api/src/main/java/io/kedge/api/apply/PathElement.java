package io.kedge.api.apply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kedge.api.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One step of a field path, in the four forms fieldsV1 knows: a map field ({@code f:name}), a list-map element by
 * its key fields ({@code k:{"name":"c"}}), a set element by value ({@code v:"x"}), or an atomic-list position
 * ({@code i:3}). Two elements are equal when their encoded forms are.
 */
public final class PathElement implements Comparable<PathElement> {

    public enum Type {
        FIELD('f'), KEY('k'), VALUE('v'), INDEX('i');

        private final char prefix;

        Type(char prefix) {
            this.prefix = prefix;
        }
    }

    private final Type type;
    /** The field name, the canonical JSON of the key object or value, or the decimal index. */
    private final String text;

    private PathElement(Type type, String text) {
        this.type = type;
        this.text = text;
    }

    public static PathElement field(String name) {
        Objects.requireNonNull(name, "field name");
        return new PathElement(Type.FIELD, name);
    }

    /** A list-map element identified by {@code keyFields}, an object of the key fields' values. */
    public static PathElement key(ObjectNode keyFields) {
        Objects.requireNonNull(keyFields, "key fields");
        if (keyFields.isEmpty()) {
            throw new IllegalArgumentException("a list-map key needs at least one key field");
        }
        return new PathElement(Type.KEY, CanonicalJson.of(keyFields));
    }

    public static PathElement value(JsonNode value) {
        Objects.requireNonNull(value, "set value");
        return new PathElement(Type.VALUE, CanonicalJson.of(value));
    }

    public static PathElement index(int index) {
        if (index < 0) {
            throw new IllegalArgumentException("a list index cannot be negative, got " + index);
        }
        return new PathElement(Type.INDEX, Integer.toString(index));
    }

    /**
     * Reads one fieldsV1 member name such as {@code f:spec} or {@code k:{"name":"c"}}.
     *
     * @return null for a prefix this version does not know, which fieldsV1 readers skip for forward compatibility
     */
    public static PathElement decode(String encoded) {
        if (encoded == null || encoded.length() < 2 || encoded.charAt(1) != ':') {
            throw new IllegalArgumentException("invalid fieldsV1 member \"" + encoded
                    + "\": expected a type prefix such as f:, k:, v: or i:");
        }
        String body = encoded.substring(2);
        return switch (encoded.charAt(0)) {
            case 'f' -> field(body);
            case 'k' -> {
                JsonNode keys = parse(encoded, body);
                if (!(keys instanceof ObjectNode o) || o.isEmpty()) {
                    throw new IllegalArgumentException("invalid fieldsV1 member \"" + encoded
                            + "\": a k: element needs a JSON object of key fields");
                }
                yield key(o);
            }
            case 'v' -> value(parse(encoded, body));
            case 'i' -> {
                try {
                    yield index(Integer.parseInt(body));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("invalid fieldsV1 member \"" + encoded
                            + "\": an i: element needs a non-negative integer index", e);
                }
            }
            default -> null;
        };
    }

    private static JsonNode parse(String encoded, String json) {
        try {
            JsonNode node = Json.MAPPER.readTree(json);
            if (node == null || node.isMissingNode()) {
                throw new IllegalArgumentException("invalid fieldsV1 member \"" + encoded + "\": no JSON after the prefix");
            }
            return node;
        } catch (IOException e) {
            throw new IllegalArgumentException("invalid fieldsV1 member \"" + encoded + "\": not valid JSON after the prefix");
        }
    }

    public Type type() {
        return type;
    }

    public boolean isField() {
        return type == Type.FIELD;
    }

    /** The field name of a {@link Type#FIELD} element. */
    public String fieldName() {
        require(Type.FIELD);
        return text;
    }

    /** The key fields of a {@link Type#KEY} element, or the value of a {@link Type#VALUE} element, as JSON. */
    public JsonNode json() {
        if (type != Type.KEY && type != Type.VALUE) {
            throw new IllegalStateException(this + " is a " + type + " element, which holds no JSON");
        }
        try {
            return Json.MAPPER.readTree(text);
        } catch (IOException e) {
            throw new IllegalStateException("canonical JSON did not parse back: " + text, e);
        }
    }

    public int index() {
        require(Type.INDEX);
        return Integer.parseInt(text);
    }

    private void require(Type expected) {
        if (type != expected) {
            throw new IllegalStateException(this + " is a " + type + " element, not a " + expected + " element");
        }
    }

    /** The fieldsV1 member name. */
    public String encoded() {
        return type.prefix + ":" + text;
    }

    /** The form upstream prints in conflict messages: {@code .name}, {@code [name="c"]}, {@code [=v]}, {@code [3]}. */
    @Override
    public String toString() {
        return switch (type) {
            case FIELD -> "." + text;
            case INDEX -> "[" + text + "]";
            case VALUE -> "[=" + text + "]";
            case KEY -> {
                List<String> parts = new ArrayList<>();
                for (Map.Entry<String, JsonNode> e : json().properties()) {
                    parts.add(e.getKey() + "=" + CanonicalJson.of(e.getValue()));
                }
                parts.sort(null);
                yield "[" + String.join(",", parts) + "]";
            }
        };
    }

    @Override
    public int compareTo(PathElement o) {
        if (type != o.type) {
            return Integer.compare(type.ordinal(), o.type.ordinal());
        }
        if (type == Type.INDEX) {
            return Integer.compare(Integer.parseInt(text), Integer.parseInt(o.text));
        }
        return text.compareTo(o.text);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PathElement p && p.type == type && p.text.equals(text);
    }

    @Override
    public int hashCode() {
        return type.hashCode() * 31 + text.hashCode();
    }
}
