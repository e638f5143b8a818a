package io.kedge.api.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.kedge.api.GoQuote;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * The keywords that look at one value alone: type, enum, string, number and format checks. The
 * details read like kube-openapi's ({@code spec.replicas in body should be greater than or equal to 1}).
 */
final class KeywordChecks {
    private static final BigDecimal INT32_MIN = BigDecimal.valueOf(Integer.MIN_VALUE);
    private static final BigDecimal INT32_MAX = BigDecimal.valueOf(Integer.MAX_VALUE);
    private static final BigDecimal INT64_MIN = BigDecimal.valueOf(Long.MIN_VALUE);
    private static final BigDecimal INT64_MAX = BigDecimal.valueOf(Long.MAX_VALUE);

    private KeywordChecks() {}

    /** The name a detail starts with: the field path, as kube-openapi prints it. */
    static String name(String path) {
        return path.isEmpty() ? "<root>" : path;
    }

    static SchemaError type(JsonNode value, SchemaNode schema, String path) {
        String expected = schema.intOrString ? "integer,string" : schema.type;
        if (expected == null) {
            return null;
        }
        String actual = JsonValues.typeName(value);
        if (value.isNull() ? schema.nullable : hasType(value, schema)) {
            return null;
        }
        return SchemaError.typeInvalid(path, TextNode.valueOf(actual),
                name(path) + " in body must be of type " + expected + ": " + GoQuote.quote(actual));
    }

    private static boolean hasType(JsonNode value, SchemaNode schema) {
        if (schema.intOrString) {
            return value.isTextual() || JsonValues.isInteger(value);
        }
        return switch (schema.type) {
            case "object" -> value.isObject();
            case "array" -> value.isArray();
            case "string" -> value.isTextual();
            case "boolean" -> value.isBoolean();
            case "integer" -> JsonValues.isInteger(value);
            case "number" -> value.isNumber();
            default -> false;
        };
    }

    static SchemaError enumeration(JsonNode value, SchemaNode schema, String path) {
        if (schema.enumCanonical == null || schema.enumCanonical.contains(JsonValues.canonical(value))) {
            return null;
        }
        List<String> supported = new ArrayList<>(schema.enumValues.size());
        schema.enumValues.forEach(v -> supported.add(v.isTextual() ? v.textValue() : v.toString()));
        return SchemaError.notSupported(path, value, supported);
    }

    /** Length, then pattern; like kube-openapi, only the first failure is reported. */
    static SchemaError string(JsonNode value, SchemaNode schema, String path) {
        String text = value.textValue();
        long length = schema.maxLength != null || schema.minLength != null ? text.codePointCount(0, text.length()) : 0;
        if (schema.maxLength != null && length > schema.maxLength) {
            return SchemaError.tooLong(path, schema.maxLength);
        }
        if (schema.minLength != null && length < schema.minLength) {
            return SchemaError.invalid(path, value,
                    name(path) + " in body should be at least " + schema.minLength + " chars long");
        }
        if (schema.pattern != null) {
            try {
                if (!schema.pattern.find(text)) {
                    return SchemaError.invalid(path, value,
                            name(path) + " in body should match '" + schema.pattern.source() + "'");
                }
            } catch (GoRegex.BudgetExceededException e) {
                return SchemaError.invalid(path, value, name(path) + " in body could not be matched against '"
                        + schema.pattern.source() + "' within the evaluation budget");
            }
        }
        return null;
    }

    static SchemaError format(JsonNode value, SchemaNode schema, String path) {
        if (schema.format == null || Formats.accepts(schema.format, value.textValue())) {
            return null;
        }
        return SchemaError.typeInvalid(path, value,
                name(path) + " in body must be of type " + schema.format + ": " + ValueText.of(value));
    }

    static void number(JsonNode value, SchemaNode schema, String path, List<SchemaError> errors) {
        BigDecimal n = JsonValues.decimal(value);
        if (n == null) {
            return;
        }
        if (schema.multipleOf != null && n.remainder(schema.multipleOf).signum() != 0) {
            errors.add(SchemaError.invalid(path, value,
                    name(path) + " in body should be a multiple of " + ValueText.number(schema.multipleOf)));
        }
        if (schema.minimum != null) {
            int c = n.compareTo(schema.minimum);
            if (c < 0 || (c == 0 && schema.exclusiveMinimum)) {
                errors.add(SchemaError.invalid(path, value, name(path) + " in body should be greater than "
                        + (schema.exclusiveMinimum ? "" : "or equal to ") + ValueText.number(schema.minimum)));
            }
        }
        if (schema.maximum != null) {
            int c = n.compareTo(schema.maximum);
            if (c > 0 || (c == 0 && schema.exclusiveMaximum)) {
                errors.add(SchemaError.invalid(path, value, name(path) + " in body should be less than "
                        + (schema.exclusiveMaximum ? "" : "or equal to ") + ValueText.number(schema.maximum)));
            }
        }
        SchemaError range = integerRange(value, n, schema, path);
        if (range != null) {
            errors.add(range);
        }
    }

    /**
     * {@code format: int32/int64} on integers. Kubernetes leaves the range unchecked, but a value
     * outside it cannot reach a controller's typed field intact, so it is rejected here.
     */
    private static SchemaError integerRange(JsonNode value, BigDecimal n, SchemaNode schema, String path) {
        if (schema.format == null || !JsonValues.isInteger(value)) {
            return null;
        }
        String format = Formats.normalize(schema.format);
        boolean outside = switch (format) {
            case "int32" -> n.compareTo(INT32_MIN) < 0 || n.compareTo(INT32_MAX) > 0;
            case "int64" -> n.compareTo(INT64_MIN) < 0 || n.compareTo(INT64_MAX) > 0;
            default -> false;
        };
        return outside ? SchemaError.invalid(path, value, name(path) + " in body must be of type " + format) : null;
    }
}
