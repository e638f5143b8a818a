package io.kedge.api.table;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kedge.api.Json;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * Values written as text the way kubectl's JSONPath output writes them, so that a CRD's string
 * columns read the same as on a Kubernetes server: scalars bare, floats in Go's shortest form
 * ({@code 1.5}, {@code 1e+06}), objects and arrays as compact JSON with sorted keys.
 */
final class GoText {
    private GoText() {}

    static String of(JsonNode value) {
        if (value.isTextual()) {
            return value.textValue();
        }
        if (value.isContainerNode()) {
            try {
                return Json.MAPPER.writeValueAsString(sortedKeys(value));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("a JSON tree could not be written back as JSON", e);
            }
        }
        if (value.isFloatingPointNumber()) {
            return goFloat(value.doubleValue());
        }
        return value.asText();
    }

    /** Go's {@code %v} for a float64: shortest digits, exponent form below 1e-4 and from 1e+06 up. */
    static String goFloat(double d) {
        if (Double.isNaN(d)) {
            return "NaN";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "+Inf" : "-Inf";
        }
        if (d == 0) {
            return 1 / d < 0 ? "-0" : "0";
        }
        BigDecimal exact = new BigDecimal(Double.toString(d)).stripTrailingZeros();
        String digits = exact.unscaledValue().abs().toString();
        int exponent = digits.length() - 1 - exact.scale();
        String sign = d < 0 ? "-" : "";
        if (exponent < -4 || exponent >= 6) {
            String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
            String exp = String.format("%02d", Math.abs(exponent));
            return sign + mantissa + "e" + (exponent < 0 ? "-" : "+") + exp;
        }
        return exact.toPlainString();
    }

    private static JsonNode sortedKeys(JsonNode node) {
        if (node.isObject()) {
            ObjectNode sorted = JsonNodeFactory.instance.objectNode();
            List<String> names = new ArrayList<>();
            node.fieldNames().forEachRemaining(names::add);
            names.sort(null);
            names.forEach(n -> sorted.set(n, sortedKeys(node.get(n))));
            return sorted;
        }
        if (node.isArray()) {
            ArrayNode copy = JsonNodeFactory.instance.arrayNode();
            node.forEach(e -> copy.add(sortedKeys(e)));
            return copy;
        }
        return node;
    }
}
