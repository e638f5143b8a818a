package io.kedge.api.schema;

import com.fasterxml.jackson.databind.JsonNode;
import io.kedge.api.GoQuote;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** JSON value facts the schema keywords need: OpenAPI type names, exact numbers, and value identity. */
final class JsonValues {
    private JsonValues() {}

    /** The OpenAPI type a value has; whole floating numbers count as numbers here, see {@link #isInteger}. */
    static String typeName(JsonNode value) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            return "null";
        }
        if (value.isObject()) {
            return "object";
        }
        if (value.isArray()) {
            return "array";
        }
        if (value.isTextual()) {
            return "string";
        }
        if (value.isBoolean()) {
            return "boolean";
        }
        if (value.isIntegralNumber()) {
            return "integer";
        }
        if (value.isNumber()) {
            return "number";
        }
        // binary or POJO nodes never come out of a JSON parser; name them by what they print as
        return "string";
    }

    /** Integers, and floating numbers with no fraction (JSON {@code 3.0} is an integer to Kubernetes too). */
    static boolean isInteger(JsonNode value) {
        if (value.isIntegralNumber()) {
            return true;
        }
        if (!value.isNumber()) {
            return false;
        }
        BigDecimal decimal = decimal(value);
        return decimal != null && (decimal.signum() == 0 || decimal.stripTrailingZeros().scale() <= 0);
    }

    /** The exact value of a number node, or null for a non-finite double (which no JSON text can hold). */
    static BigDecimal decimal(JsonNode number) {
        if (number.isDouble() || number.isFloat()) {
            double d = number.doubleValue();
            return Double.isFinite(d) ? new BigDecimal(Double.toString(d)) : null;
        }
        return number.decimalValue();
    }

    /**
     * A text that is equal for equal JSON values: object keys sorted, numbers compared by value
     * (so {@code 1} and {@code 1.0} are the same). Used for enum membership and set uniqueness.
     */
    static String canonical(JsonNode value) {
        StringBuilder out = new StringBuilder();
        appendCanonical(out, value);
        return out.toString();
    }

    private static void appendCanonical(StringBuilder out, JsonNode value) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            out.append("null");
        } else if (value.isNumber()) {
            BigDecimal decimal = decimal(value);
            out.append(decimal == null ? value.asText() : decimal.stripTrailingZeros().toString());
        } else if (value.isArray()) {
            out.append('[');
            for (int i = 0; i < value.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                appendCanonical(out, value.get(i));
            }
            out.append(']');
        } else if (value.isObject()) {
            List<Map.Entry<String, JsonNode>> fields = new ArrayList<>(value.properties());
            fields.sort(Map.Entry.comparingByKey());
            out.append('{');
            for (int i = 0; i < fields.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                out.append(GoQuote.quote(fields.get(i).getKey())).append(':');
                appendCanonical(out, fields.get(i).getValue());
            }
            out.append('}');
        } else if (value.isTextual()) {
            out.append(GoQuote.quote(value.textValue()));
        } else {
            out.append(value.asText());
        }
    }
}
