package io.kedge.api.schema;

import com.fasterxml.jackson.databind.JsonNode;
import io.kedge.api.GoQuote;
import java.math.BigDecimal;

/**
 * Renders values inside error messages the way Kubernetes' Go code prints them, so that messages
 * read the same as upstream: strings quoted like Go's {@code %q}, numbers like {@code %v}.
 * Objects and arrays print as compact JSON (upstream prints Go syntax, which helps nobody).
 */
final class ValueText {
    private ValueText() {}

    static String of(JsonNode value) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            return GoQuote.quote("null");
        }
        if (value.isTextual()) {
            return GoQuote.quote(value.textValue());
        }
        if (value.isIntegralNumber()) {
            return value.bigIntegerValue().toString();
        }
        if (value.isNumber()) {
            BigDecimal decimal = JsonValues.decimal(value);
            return decimal == null ? String.valueOf(value.doubleValue()) : number(decimal);
        }
        if (value.isBoolean()) {
            return String.valueOf(value.booleanValue());
        }
        return value.toString();
    }

    /** Go's {@code %v} for a float64: shortest digits, exponent form below 1e-4 and from 1e+06 on. */
    static String number(BigDecimal value) {
        if (value.signum() == 0) {
            return "0";
        }
        BigDecimal stripped = value.stripTrailingZeros();
        String digits = stripped.unscaledValue().abs().toString();
        int exponent = digits.length() - 1 - stripped.scale();
        if (exponent >= -4 && exponent < 6) {
            return stripped.toPlainString();
        }
        StringBuilder out = new StringBuilder();
        if (stripped.signum() < 0) {
            out.append('-');
        }
        out.append(digits.charAt(0));
        if (digits.length() > 1) {
            out.append('.').append(digits, 1, digits.length());
        }
        out.append('e').append(exponent < 0 ? '-' : '+');
        int magnitude = Math.abs(exponent);
        if (magnitude < 10) {
            out.append('0');
        }
        return out.append(magnitude).toString();
    }
}
