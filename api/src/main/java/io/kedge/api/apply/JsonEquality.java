package io.kedge.api.apply;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Comparator;

/** Value equality where 1 and 1.0 are the same number, as they are once decoded into an API object. */
final class JsonEquality {
    private static final Comparator<JsonNode> NUMBERS_BY_VALUE = (a, b) -> {
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue());
        }
        return a.equals(b) ? 0 : 1;
    };

    private JsonEquality() {}

    static boolean equal(JsonNode a, JsonNode b) {
        if (a == null || b == null) return a == b;
        return a.equals(NUMBERS_BY_VALUE, b);
    }
}
