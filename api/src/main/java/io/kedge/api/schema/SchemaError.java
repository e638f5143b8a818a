package io.kedge.api.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.kedge.api.GoQuote;
import java.util.List;
import java.util.stream.Collectors;

/**
 * One field-level problem, shaped like a Kubernetes {@code StatusCause}: {@code field} is the dotted path
 * ({@code spec.containers[0].image}, empty for the object itself), {@code reason} the cause type and
 * {@code message} the human text without the field, e.g.
 * {@code Invalid value: "string": spec.replicas in body must be of type integer: "string"}.
 */
public record SchemaError(String field, String reason, String message) {
    public static final String REQUIRED = "FieldValueRequired";
    public static final String INVALID = "FieldValueInvalid";
    public static final String TYPE_INVALID = "FieldValueTypeInvalid";
    public static final String NOT_SUPPORTED = "FieldValueNotSupported";
    public static final String DUPLICATE = "FieldValueDuplicate";
    public static final String FORBIDDEN = "FieldValueForbidden";
    public static final String TOO_LONG = "FieldValueTooLong";
    public static final String TOO_MANY = "FieldValueTooMany";

    /** The error as one line, the way Kubernetes joins field and message in a Status message. */
    @Override
    public String toString() {
        return field.isEmpty() ? message : field + ": " + message;
    }

    static SchemaError required(String field, String detail) {
        return new SchemaError(field, REQUIRED, withDetail("Required value", detail));
    }

    static SchemaError forbidden(String field, String detail) {
        return new SchemaError(field, FORBIDDEN, withDetail("Forbidden", detail));
    }

    static SchemaError invalid(String field, JsonNode badValue, String detail) {
        return new SchemaError(field, INVALID, withDetail("Invalid value: " + ValueText.of(badValue), detail));
    }

    static SchemaError invalid(String field, String badValue, String detail) {
        return invalid(field, TextNode.valueOf(badValue), detail);
    }

    static SchemaError invalid(String field, long badValue, String detail) {
        return invalid(field, LongNode.valueOf(badValue), detail);
    }

    static SchemaError typeInvalid(String field, JsonNode badValue, String detail) {
        return new SchemaError(field, TYPE_INVALID, withDetail("Invalid value: " + ValueText.of(badValue), detail));
    }

    static SchemaError notSupported(String field, JsonNode badValue, List<String> supported) {
        String detail = supported.isEmpty() ? ""
                : "supported values: " + supported.stream().map(GoQuote::quote).collect(Collectors.joining(", "));
        return new SchemaError(field, NOT_SUPPORTED, withDetail("Unsupported value: " + ValueText.of(badValue), detail));
    }

    static SchemaError duplicate(String field, JsonNode value) {
        return new SchemaError(field, DUPLICATE, "Duplicate value: " + ValueText.of(value));
    }

    /** Like Kubernetes, a too-long error never repeats the (possibly huge) value. */
    static SchemaError tooLong(String field, long maxLength) {
        return new SchemaError(field, TOO_LONG, "Too long: may not be longer than " + maxLength);
    }

    static SchemaError tooMany(String field, long actual, long max) {
        return new SchemaError(field, TOO_MANY, "Too many: " + actual + ": must have at most " + max + " items");
    }

    private static String withDetail(String head, String detail) {
        return detail == null || detail.isEmpty() ? head : head + ": " + detail;
    }
}
