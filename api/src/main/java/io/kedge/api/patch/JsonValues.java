package io.kedge.api.patch;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Comparator;

/** JSON value helpers shared by the patch formats. */
final class JsonValues {
    private static final int MAX_SHOWN = 80;

    /** Numbers compare by value (RFC 6902 §4.6: 1 equals 1.0); everything else by Jackson equality. */
    private static final Comparator<JsonNode> NUMERIC_AWARE = (a, b) -> {
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue());
        }
        return a.equals(b) ? 0 : 1;
    };

    private JsonValues() {}

    static boolean equal(JsonNode a, JsonNode b) {
        if (a == null || b == null) return a == b;
        return a.equals(NUMERIC_AWARE, b);
    }

    /** A short rendering of a value for error messages; large values are cut off. */
    static String shown(JsonNode value) {
        if (value == null || value.isMissingNode()) return "nothing";
        String text = value.toString();
        return text.length() <= MAX_SHOWN ? text : text.substring(0, MAX_SHOWN) + "...";
    }

    static String typeOf(JsonNode value) {
        if (value == null || value.isMissingNode()) return "nothing";
        if (value.isObject()) return "an object";
        if (value.isArray()) return "an array";
        if (value.isTextual()) return "a string";
        if (value.isNumber()) return "a number";
        if (value.isBoolean()) return "a boolean";
        if (value.isNull()) return "null";
        return value.getNodeType().toString().toLowerCase();
    }
}
