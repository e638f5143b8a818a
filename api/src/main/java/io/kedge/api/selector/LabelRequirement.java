package io.kedge.api.selector;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * One condition of a label selector. {@code values} holds one value for EQUALS, NOT_EQUALS, GREATER_THAN and
 * LESS_THAN, one or more (sorted, without duplicates) for IN and NOT_IN, and none for EXISTS and DOES_NOT_EXIST.
 */
public record LabelRequirement(String key, LabelOperator operator, List<String> values) {

    public LabelRequirement {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(operator, "operator");
        values = List.copyOf(new TreeSet<>(values));
        int expected = switch (operator) {
            case EXISTS, DOES_NOT_EXIST -> 0;
            case IN, NOT_IN -> -1;
            default -> 1;
        };
        if (expected >= 0 ? values.size() != expected : values.isEmpty()) {
            throw new IllegalArgumentException(operator + " on \"" + key + "\" cannot take the values " + values);
        }
    }

    public static LabelRequirement equalTo(String key, String value) {
        return new LabelRequirement(key, LabelOperator.EQUALS, List.of(value));
    }

    public boolean matches(Map<String, String> labels) {
        String actual = labels.get(key);
        return switch (operator) {
            case EQUALS, IN -> actual != null && values.contains(actual);
            case NOT_EQUALS, NOT_IN -> actual == null || !values.contains(actual);
            case EXISTS -> actual != null;
            case DOES_NOT_EXIST -> actual == null;
            case GREATER_THAN -> compareAsIntegers(actual) > 0;
            case LESS_THAN -> compareAsIntegers(actual) < 0;
        };
    }

    /** Sign of actual minus the requirement's value; 0 (no match) when either is not an integer. */
    private int compareAsIntegers(String actual) {
        if (actual == null) {
            return 0;
        }
        try {
            return Long.compare(Long.parseLong(actual), Long.parseLong(values.get(0)));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** The requirement as a selector string would write it. */
    @Override
    public String toString() {
        return switch (operator) {
            case EQUALS -> key + "=" + values.get(0);
            case NOT_EQUALS -> key + "!=" + values.get(0);
            case IN -> key + " in (" + String.join(",", values) + ")";
            case NOT_IN -> key + " notin (" + String.join(",", values) + ")";
            case EXISTS -> key;
            case DOES_NOT_EXIST -> "!" + key;
            case GREATER_THAN -> key + ">" + values.get(0);
            case LESS_THAN -> key + "<" + values.get(0);
        };
    }
}
