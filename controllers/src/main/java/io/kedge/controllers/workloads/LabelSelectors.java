package io.kedge.controllers.workloads;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import java.util.List;
import java.util.Map;

/** Matches labels against a metav1.LabelSelector as the API defines it. */
final class LabelSelectors {
    private LabelSelectors() {}

    /** A null selector selects nothing; an empty one selects everything. */
    static boolean matches(LabelSelector selector, Map<String, String> labels) {
        if (selector == null) {
            return false;
        }
        Map<String, String> l = labels == null ? Map.of() : labels;
        if (selector.getMatchLabels() != null) {
            for (Map.Entry<String, String> e : selector.getMatchLabels().entrySet()) {
                if (!e.getValue().equals(l.get(e.getKey()))) {
                    return false;
                }
            }
        }
        if (selector.getMatchExpressions() != null) {
            for (LabelSelectorRequirement r : selector.getMatchExpressions()) {
                if (!matches(r, l)) {
                    return false;
                }
            }
        }
        return true;
    }

    static boolean isEmpty(LabelSelector selector) {
        return selector != null && (selector.getMatchLabels() == null || selector.getMatchLabels().isEmpty())
                && (selector.getMatchExpressions() == null || selector.getMatchExpressions().isEmpty());
    }

    /** Throws IllegalArgumentException naming the bad requirement, for selectors the API should have rejected. */
    static void validate(LabelSelector selector) {
        if (selector == null || selector.getMatchExpressions() == null) {
            return;
        }
        for (LabelSelectorRequirement r : selector.getMatchExpressions()) {
            matches(r, Map.of());
        }
    }

    private static boolean matches(LabelSelectorRequirement r, Map<String, String> labels) {
        String op = r.getOperator();
        List<String> values = r.getValues() == null ? List.of() : r.getValues();
        if (op == null) {
            throw new IllegalArgumentException("label selector requirement on key \"" + r.getKey() + "\" has no operator");
        }
        switch (op) {
            case "In", "NotIn" -> {
                if (values.isEmpty()) {
                    throw new IllegalArgumentException("label selector operator " + op + " on key \"" + r.getKey()
                            + "\" needs at least one value");
                }
                boolean in = labels.containsKey(r.getKey()) && values.contains(labels.get(r.getKey()));
                return op.equals("In") == in;
            }
            case "Exists", "DoesNotExist" -> {
                if (!values.isEmpty()) {
                    throw new IllegalArgumentException("label selector operator " + op + " on key \"" + r.getKey()
                            + "\" takes no values");
                }
                return op.equals("Exists") == labels.containsKey(r.getKey());
            }
            default -> throw new IllegalArgumentException("label selector operator \"" + op + "\" on key \""
                    + r.getKey() + "\" is not one of In, NotIn, Exists, DoesNotExist");
        }
    }
}
