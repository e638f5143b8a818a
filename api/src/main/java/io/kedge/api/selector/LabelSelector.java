package io.kedge.api.selector;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A label selector: requirements that must all hold. The empty selector matches every object; {@link #nothing()}
 * (what a missing {@code selector} object means) matches none. Immutable.
 */
public final class LabelSelector {
    private static final LabelSelector EVERYTHING = new LabelSelector(List.of(), false);
    private static final LabelSelector NOTHING = new LabelSelector(List.of(), true);
    private static final List<String> JSON_OPERATORS = List.of("In", "NotIn", "Exists", "DoesNotExist");

    private final List<LabelRequirement> requirements;
    private final boolean nothing;

    private LabelSelector(List<LabelRequirement> requirements, boolean nothing) {
        this.requirements = requirements;
        this.nothing = nothing;
    }

    public static LabelSelector everything() {
        return EVERYTHING;
    }

    public static LabelSelector nothing() {
        return NOTHING;
    }

    /** Requirements in canonical order: sorted by key, otherwise in the order given. */
    public static LabelSelector of(List<LabelRequirement> requirements) {
        if (requirements.isEmpty()) {
            return EVERYTHING;
        }
        List<LabelRequirement> sorted = new ArrayList<>(requirements);
        sorted.sort(Comparator.comparing(LabelRequirement::key));
        return new LabelSelector(List.copyOf(sorted), false);
    }

    /**
     * Parses the string form ({@code labelSelector=} query parameter, {@code kubectl -l}). Null or blank is the
     * empty selector.
     *
     * @throws SelectorException naming what is wrong and where
     */
    public static LabelSelector parse(String text) {
        if (text == null || text.isBlank()) {
            return EVERYTHING;
        }
        return of(LabelSelectorParser.parse(text));
    }

    /** Every label equal to its value, as a Service's {@code spec.selector} or {@code matchLabels} says. */
    public static LabelSelector fromMap(Map<String, String> labels) {
        List<LabelRequirement> requirements = new ArrayList<>();
        labels.forEach((key, value) -> {
            requireValidKey(key, "matchLabels");
            requireValidValue(value, "matchLabels." + key);
            requirements.add(LabelRequirement.equalTo(key, value));
        });
        return of(requirements);
    }

    /**
     * Reads a {@code metav1.LabelSelector} object ({@code matchLabels}, {@code matchExpressions}). A missing or
     * null selector selects nothing; an empty object selects everything.
     */
    public static LabelSelector fromJson(JsonNode selector) {
        if (selector == null || selector.isMissingNode() || selector.isNull()) {
            return NOTHING;
        }
        if (!selector.isObject()) {
            throw invalid("", "must be an object with matchLabels and matchExpressions, got " + selector);
        }
        List<LabelRequirement> requirements = new ArrayList<>();
        JsonNode matchLabels = selector.path("matchLabels");
        if (!matchLabels.isMissingNode() && !matchLabels.isNull()) {
            if (!matchLabels.isObject()) {
                throw invalid("matchLabels", "must be an object of label keys to values");
            }
            for (Map.Entry<String, JsonNode> label : matchLabels.properties()) {
                String field = "matchLabels." + label.getKey();
                requireValidKey(label.getKey(), field);
                String value = text(label.getValue(), field);
                requireValidValue(value, field);
                requirements.add(LabelRequirement.equalTo(label.getKey(), value));
            }
        }
        JsonNode expressions = selector.path("matchExpressions");
        if (!expressions.isMissingNode() && !expressions.isNull()) {
            if (!expressions.isArray()) {
                throw invalid("matchExpressions", "must be a list");
            }
            for (int i = 0; i < expressions.size(); i++) {
                requirements.add(expression(expressions.get(i), "matchExpressions[" + i + "]"));
            }
        }
        return of(requirements);
    }

    private static LabelRequirement expression(JsonNode expression, String field) {
        if (!expression.isObject()) {
            throw invalid(field, "must be an object with key, operator and values");
        }
        String key = text(expression.path("key"), field + ".key");
        requireValidKey(key, field + ".key");
        String operatorName = text(expression.path("operator"), field + ".operator");
        int operatorIndex = JSON_OPERATORS.indexOf(operatorName);
        if (operatorIndex < 0) {
            throw invalid(field + ".operator", "\"" + operatorName + "\" is not a valid operator; expected one of "
                    + String.join(", ", JSON_OPERATORS));
        }
        LabelOperator operator = List.of(LabelOperator.IN, LabelOperator.NOT_IN, LabelOperator.EXISTS,
                LabelOperator.DOES_NOT_EXIST).get(operatorIndex);
        List<String> values = new ArrayList<>();
        JsonNode valuesNode = expression.path("values");
        if (!valuesNode.isMissingNode() && !valuesNode.isNull()) {
            if (!valuesNode.isArray()) {
                throw invalid(field + ".values", "must be a list of strings");
            }
            for (int i = 0; i < valuesNode.size(); i++) {
                String valueField = field + ".values[" + i + "]";
                String value = text(valuesNode.get(i), valueField);
                requireValidValue(value, valueField);
                values.add(value);
            }
        }
        boolean takesValues = operator == LabelOperator.IN || operator == LabelOperator.NOT_IN;
        if (takesValues && values.isEmpty()) {
            throw invalid(field + ".values", "must be specified when operator is In or NotIn");
        }
        if (!takesValues && !values.isEmpty()) {
            throw invalid(field + ".values", "may not be specified when operator is Exists or DoesNotExist");
        }
        return new LabelRequirement(key, operator, values);
    }

    private static String text(JsonNode node, String field) {
        if (node.isMissingNode() || node.isNull()) {
            throw invalid(field, "is required");
        }
        if (!node.isTextual()) {
            throw invalid(field, "must be a string, got " + node);
        }
        return node.textValue();
    }

    private static void requireValidKey(String key, String field) {
        Optional<String> problem = LabelSyntax.keyProblem(key);
        if (problem.isPresent()) {
            throw invalid(field, "invalid label key \"" + key + "\": " + problem.get());
        }
    }

    private static void requireValidValue(String value, String field) {
        Optional<String> problem = LabelSyntax.valueProblem(value);
        if (problem.isPresent()) {
            throw invalid(field, "invalid label value \"" + value + "\": " + problem.get());
        }
    }

    private static SelectorException invalid(String field, String message) {
        return new SelectorException("invalid label selector" + (field.isEmpty() ? "" : ": " + field) + ": " + message);
    }

    public List<LabelRequirement> requirements() {
        return requirements;
    }

    public boolean isEverything() {
        return !nothing && requirements.isEmpty();
    }

    public boolean isNothing() {
        return nothing;
    }

    /** Whether an object with these labels is selected; null labels count as none. */
    public boolean matches(Map<String, String> labels) {
        if (nothing) {
            return false;
        }
        Map<String, String> actual = labels == null ? Map.of() : labels;
        for (LabelRequirement requirement : requirements) {
            if (!requirement.matches(actual)) {
                return false;
            }
        }
        return true;
    }

    /**
     * The canonical string form, which {@link #parse} reads back: requirements sorted by key, set values sorted,
     * {@code =} for equality; the empty string for the empty selector. {@link #nothing()} has no string form and
     * renders as {@code <nothing>}.
     */
    @Override
    public String toString() {
        if (nothing) {
            return "<nothing>";
        }
        return requirements.stream().map(LabelRequirement::toString).collect(Collectors.joining(","));
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof LabelSelector that && nothing == that.nothing && requirements.equals(that.requirements);
    }

    @Override
    public int hashCode() {
        return requirements.hashCode() * 31 + Boolean.hashCode(nothing);
    }
}
