package io.kedge.api.selector;

import java.util.Objects;
import java.util.function.Function;

/** One condition of a field selector: {@code field = value} or {@code field != value}. */
public record FieldRequirement(String field, FieldOperator operator, String value) {

    public FieldRequirement {
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(operator, "operator");
        Objects.requireNonNull(value, "value");
    }

    /** {@code fieldValue} gives an object's value of a field; null counts as the empty string. */
    public boolean matches(Function<String, String> fieldValue) {
        String actual = fieldValue.apply(field);
        boolean equal = value.equals(actual == null ? "" : actual);
        return operator == FieldOperator.EQUALS ? equal : !equal;
    }

    /** The requirement as a selector string writes it, with {@code \ , =} in the value escaped. */
    @Override
    public String toString() {
        return field + operator.symbol() + escape(value);
    }

    static String escape(String value) {
        StringBuilder escaped = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\\' || c == ',' || c == '=') {
                escaped.append('\\');
            }
            escaped.append(c);
        }
        return escaped.toString();
    }
}
