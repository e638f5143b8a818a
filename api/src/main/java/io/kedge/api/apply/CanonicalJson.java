package io.kedge.api.apply;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One spelling per JSON value, so that list keys and set values read from stored fieldsV1 and computed from
 * objects compare equal as strings: object members sorted by name, integral numbers without a fraction.
 */
final class CanonicalJson {
    private CanonicalJson() {}

    static String of(JsonNode value) {
        StringBuilder out = new StringBuilder();
        write(value, out);
        return out.toString();
    }

    static String quoted(String s) {
        return "\"" + new String(JsonStringEncoder.getInstance().quoteAsString(s)) + "\"";
    }

    private static void write(JsonNode v, StringBuilder out) {
        if (v == null || v.isNull() || v.isMissingNode()) {
            out.append("null");
        } else if (v.isTextual()) {
            out.append(quoted(v.textValue()));
        } else if (v.isBoolean()) {
            out.append(v.booleanValue());
        } else if (v.isIntegralNumber()) {
            out.append(v.bigIntegerValue());
        } else if (v.isNumber()) {
            out.append(number(v.decimalValue()));
        } else if (v.isArray()) {
            out.append('[');
            for (int i = 0; i < v.size(); i++) {
                if (i > 0) out.append(',');
                write(v.get(i), out);
            }
            out.append(']');
        } else if (v.isObject()) {
            List<Map.Entry<String, JsonNode>> members = new ArrayList<>(v.properties());
            members.sort(Map.Entry.comparingByKey());
            out.append('{');
            for (int i = 0; i < members.size(); i++) {
                if (i > 0) out.append(',');
                out.append(quoted(members.get(i).getKey())).append(':');
                write(members.get(i).getValue(), out);
            }
            out.append('}');
        } else {
            // binary and POJO nodes never come out of a parser; their text form is the best we can do
            out.append(quoted(v.asText()));
        }
    }

    private static String number(BigDecimal d) {
        BigDecimal stripped = d.stripTrailingZeros();
        return stripped.scale() <= 0 ? stripped.toBigInteger().toString() : stripped.toString();
    }
}
