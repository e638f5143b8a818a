package io.kedge.api.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.Collection;
import java.util.stream.Collectors;

/**
 * One problem with one field. {@code message} is the text of a Status cause (e.g. {@code Required value},
 * {@code Invalid value: "x": must be ...}); {@link #summary()} prefixes the field for the Status message.
 */
public record FieldError(String field, Reason reason, String message) {

    public enum Reason {
        Required("FieldValueRequired"),
        Invalid("FieldValueInvalid"),
        Duplicate("FieldValueDuplicate"),
        NotSupported("FieldValueNotSupported"),
        Forbidden("FieldValueForbidden"),
        TooLong("FieldValueTooLong"),
        TooMany("FieldValueTooMany"),
        NotFound("FieldValueNotFound"),
        TypeInvalid("FieldValueTypeInvalid");

        private final String causeReason;

        Reason(String causeReason) {
            this.causeReason = causeReason;
        }
    }

    /** Longest rendering of a bad value kept in a message; whole objects would drown the point. */
    private static final int MAX_VALUE_CHARS = 256;

    public FieldError {
        if (field == null || reason == null || message == null) {
            throw new IllegalArgumentException("field, reason and message of a FieldError must not be null");
        }
    }

    /** The Kubernetes cause reason, e.g. {@code FieldValueRequired}. */
    public String causeReason() {
        return reason.causeReason;
    }

    /** {@code field: message}, the form Kubernetes joins into an Invalid Status message. */
    public String summary() {
        return field.isEmpty() ? message : field + ": " + message;
    }

    public static FieldError required(FieldPath path, String detail) {
        return new FieldError(path.toString(), Reason.Required, withDetail("Required value", detail));
    }

    public static FieldError invalid(FieldPath path, Object value, String detail) {
        return new FieldError(path.toString(), Reason.Invalid,
                withDetail("Invalid value: " + render(value), detail));
    }

    public static FieldError typeInvalid(FieldPath path, Object value, String expectedType) {
        return new FieldError(path.toString(), Reason.TypeInvalid,
                "Invalid value: " + render(value) + ": must be of type " + expectedType);
    }

    public static FieldError duplicate(FieldPath path, Object value) {
        return new FieldError(path.toString(), Reason.Duplicate, "Duplicate value: " + render(value));
    }

    public static FieldError notFound(FieldPath path, Object value) {
        return new FieldError(path.toString(), Reason.NotFound, "Not found: " + render(value));
    }

    public static FieldError notSupported(FieldPath path, Object value, Collection<String> supported) {
        String values = supported.stream().map(FieldError::render).collect(Collectors.joining(", "));
        return new FieldError(path.toString(), Reason.NotSupported,
                "Unsupported value: " + render(value) + (supported.isEmpty() ? "" : ": supported values: " + values));
    }

    public static FieldError forbidden(FieldPath path, String detail) {
        return new FieldError(path.toString(), Reason.Forbidden, withDetail("Forbidden", detail));
    }

    public static FieldError tooLong(FieldPath path, long maxBytes) {
        return new FieldError(path.toString(), Reason.TooLong,
                "Too long: may not be more than " + maxBytes + " bytes");
    }

    public static FieldError tooMany(FieldPath path, int actual, int max) {
        return new FieldError(path.toString(), Reason.TooMany,
                "Too many: " + actual + ": must have at most " + max + " items");
    }

    private static String withDetail(String head, String detail) {
        return detail == null || detail.isEmpty() ? head : head + ": " + detail;
    }

    /** Strings quoted, numbers bare, structures as compact JSON: close to how the Go server prints them. */
    static String render(Object value) {
        JsonNode node = value instanceof JsonNode n ? n
                : value == null ? JsonNodeFactory.instance.nullNode()
                : value instanceof Double d ? JsonNodeFactory.instance.numberNode(d)
                : value instanceof Number num ? JsonNodeFactory.instance.numberNode(num.longValue())
                : value instanceof Boolean b ? JsonNodeFactory.instance.booleanNode(b)
                : JsonNodeFactory.instance.textNode(value.toString());
        String text = node.toString();
        return text.length() <= MAX_VALUE_CHARS ? text : text.substring(0, MAX_VALUE_CHARS) + "...";
    }
}
