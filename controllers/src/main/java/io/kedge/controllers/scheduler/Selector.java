package io.kedge.controllers.scheduler;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A compiled metav1 LabelSelector. A missing selector selects nothing and an empty one selects
 * everything, as in pod affinity terms and topology spread constraints upstream.
 */
final class Selector {
    static final Selector NOTHING = new Selector(List.of(), true);
    static final Selector EVERYTHING = new Selector(List.of(), false);

    private record Requirement(String key, String operator, Set<String> values) {
        boolean matches(Map<String, String> labels) {
            String v = labels.get(key);
            return switch (operator) {
                case "In" -> v != null && values.contains(v);
                case "NotIn" -> v == null || !values.contains(v);
                case "Exists" -> v != null;
                default -> v == null; // DoesNotExist; other operators are rejected when compiling
            };
        }
    }

    private final List<Requirement> requirements;
    private final boolean nothing;

    private Selector(List<Requirement> requirements, boolean nothing) {
        this.requirements = requirements;
        this.nothing = nothing;
    }

    /** @throws IllegalArgumentException naming {@code where} if an expression is malformed */
    static Selector of(LabelSelector s, String where) {
        if (s == null) {
            return NOTHING;
        }
        List<Requirement> reqs = new ArrayList<>();
        if (s.getMatchLabels() != null) {
            s.getMatchLabels().forEach((k, v) -> reqs.add(new Requirement(k, "In", Set.of(v == null ? "" : v))));
        }
        if (s.getMatchExpressions() != null) {
            for (LabelSelectorRequirement r : s.getMatchExpressions()) {
                reqs.add(requirement(r, where));
            }
        }
        return reqs.isEmpty() ? EVERYTHING : new Selector(List.copyOf(reqs), false);
    }

    private static Requirement requirement(LabelSelectorRequirement r, String where) {
        String op = r.getOperator();
        List<String> values = r.getValues() == null ? List.of() : r.getValues();
        if (r.getKey() == null || r.getKey().isEmpty()) {
            throw new IllegalArgumentException(where + ": label selector requirement without a key");
        }
        switch (op == null ? "" : op) {
            case "In", "NotIn" -> {
                if (values.isEmpty()) {
                    throw new IllegalArgumentException(where + ": label selector operator " + op + " on \"" + r.getKey()
                            + "\" needs at least one value");
                }
            }
            case "Exists", "DoesNotExist" -> {
                if (!values.isEmpty()) {
                    throw new IllegalArgumentException(where + ": label selector operator " + op + " on \"" + r.getKey()
                            + "\" takes no values");
                }
            }
            default -> throw new IllegalArgumentException(where + ": unknown label selector operator \"" + op + "\" on \""
                    + r.getKey() + "\" (want In, NotIn, Exists or DoesNotExist)");
        }
        return new Requirement(r.getKey(), op, Set.copyOf(values));
    }

    /**
     * Adds "key In (value)", or "key NotIn (value)" when {@code in} is false: how matchLabelKeys and
     * mismatchLabelKeys narrow a selector to the pod's own label values.
     */
    Selector and(String key, boolean in, String value) {
        if (nothing) {
            return this;
        }
        List<Requirement> reqs = new ArrayList<>(requirements);
        reqs.add(new Requirement(key, in ? "In" : "NotIn", Set.of(value)));
        return new Selector(List.copyOf(reqs), false);
    }

    boolean matches(Map<String, String> labels) {
        if (nothing) {
            return false;
        }
        Map<String, String> l = labels == null ? Map.of() : labels;
        for (Requirement r : requirements) {
            if (!r.matches(l)) {
                return false;
            }
        }
        return true;
    }
}
