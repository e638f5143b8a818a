package io.kedge.api.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Checks and evaluates a structured {@code LabelSelector} ({@code matchLabels} + {@code matchExpressions}). */
public final class LabelSelectors {
    public static final List<String> OPERATORS = List.of("In", "NotIn", "Exists", "DoesNotExist");

    private LabelSelectors() {}

    public static void validate(ObjectNode selector, FieldPath path, ErrorCollector errs) {
        LabelRules.validateLabels(errs.stringMap(selector, "matchLabels", path), path.child("matchLabels"), errs);
        for (ErrorCollector.Indexed expr : errs.objects(selector, "matchExpressions", path)) {
            String key = errs.requiredString(expr.node(), "key", expr.path(), "");
            if (key != null) {
                errs.invalidEach(expr.path().child("key"), key, Formats.qualifiedName(key));
            }
            List<String> values = errs.stringList(expr.node(), "values", expr.path());
            String op = errs.requiredString(expr.node(), "operator", expr.path(), "");
            if (op == null) {
                continue;
            }
            FieldPath valuesPath = expr.path().child("values");
            switch (op) {
                case "In", "NotIn" -> {
                    if (values.isEmpty()) {
                        errs.required(valuesPath, "must be specified when `operator` is 'In' or 'NotIn'");
                    }
                }
                case "Exists", "DoesNotExist" -> {
                    if (!values.isEmpty()) {
                        errs.forbidden(valuesPath, "may not be specified when `operator` is 'Exists' or 'DoesNotExist'");
                    }
                }
                default -> errs.notSupported(expr.path().child("operator"), op, OPERATORS);
            }
            for (int i = 0; i < values.size(); i++) {
                errs.invalidEach(valuesPath.index(i), values.get(i), Formats.labelValue(values.get(i)));
            }
        }
    }

    /** True when the selector has neither labels nor expressions (it would select everything). */
    public static boolean isEmpty(ObjectNode selector) {
        return size(selector.get("matchLabels")) == 0 && size(selector.get("matchExpressions")) == 0;
    }

    private static int size(JsonNode n) {
        return n == null || n.isNull() ? 0 : n.size();
    }

    /** Whether the labels satisfy the selector; malformed parts never match. */
    public static boolean matches(ObjectNode selector, Map<String, String> labels) {
        JsonNode matchLabels = selector.get("matchLabels");
        if (matchLabels != null && matchLabels.isObject()) {
            for (Map.Entry<String, JsonNode> e : (Iterable<Map.Entry<String, JsonNode>>) matchLabels::fields) {
                if (!e.getValue().isTextual() || !e.getValue().textValue().equals(labels.get(e.getKey()))) {
                    return false;
                }
            }
        }
        JsonNode exprs = selector.get("matchExpressions");
        if (exprs != null && exprs.isArray()) {
            for (JsonNode expr : exprs) {
                if (!expressionMatches(expr, labels)) {
                    return false;
                }
            }
        }
        return true;
    }

    private static boolean expressionMatches(JsonNode expr, Map<String, String> labels) {
        String key = expr.path("key").asText("");
        String op = expr.path("operator").asText("");
        Set<String> values = new java.util.HashSet<>();
        if (expr.get("values") instanceof ArrayNode arr) {
            arr.forEach(v -> values.add(v.asText()));
        }
        String actual = labels.get(key);
        return switch (op) {
            case "In" -> actual != null && values.contains(actual);
            case "NotIn" -> actual == null || !values.contains(actual);
            case "Exists" -> actual != null;
            case "DoesNotExist" -> actual == null;
            default -> false;
        };
    }
}
