package io.kedge.api.schema;

import com.fasterxml.jackson.databind.JsonNode;
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
            return quote("null");
        }
        if (value.isTextual()) {
            return quote(value.textValue());
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

    /** Go's {@code strconv.Quote}: printable characters stay, the rest become escapes. */
    static String quote(String text) {
        StringBuilder out = new StringBuilder(text.length() + 2).append('"');
        text.codePoints().forEach(cp -> appendEscaped(out, cp));
        return out.append('"').toString();
    }

    private static void appendEscaped(StringBuilder out, int cp) {
        switch (cp) {
            case '"' -> out.append("\\\"");
            case '\\' -> out.append("\\\\");
            case 0x07 -> out.append("\\a");
            case '\b' -> out.append("\\b");
            case '\f' -> out.append("\\f");
            case '\n' -> out.append("\\n");
            case '\r' -> out.append("\\r");
            case '\t' -> out.append("\\t");
            case 0x0B -> out.append("\\v");
            default -> {
                if (cp < 0x20 || cp == 0x7F) {
                    out.append(String.format("\\x%02x", cp));
                } else if (isPrintable(cp)) {
                    out.appendCodePoint(cp);
                } else if (cp <= 0xFFFF) {
                    out.append(String.format("\\u%04x", cp));
                } else {
                    out.append(String.format("\\U%08x", cp));
                }
            }
        }
    }

    private static boolean isPrintable(int cp) {
        int type = Character.getType(cp);
        return cp == ' ' || !(Character.isWhitespace(cp) || Character.isSpaceChar(cp)
                || type == Character.CONTROL || type == Character.FORMAT || type == Character.SURROGATE
                || type == Character.PRIVATE_USE || type == Character.UNASSIGNED);
    }
}
