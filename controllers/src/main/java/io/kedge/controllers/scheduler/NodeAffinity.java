package io.kedge.controllers.scheduler;

import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.NodeSelector;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PreferredSchedulingTerm;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A pod's wishes about node labels: its nodeSelector and required node affinity (both must hold)
 * and its preferred node affinity (a score). Terms are ORed, expressions inside a term ANDed; a term
 * that is empty or malformed matches no node, as upstream treats it.
 */
final class NodeAffinity {
    static final String METADATA_NAME = "metadata.name";

    private final Map<String, String> nodeSelector;
    /** Null when the pod has no required node affinity. */
    private final List<Term> required;
    private final List<Term> preferred;
    private final List<Integer> preferredWeights;

    private NodeAffinity(Map<String, String> nodeSelector, List<Term> required, List<Term> preferred, List<Integer> weights) {
        this.nodeSelector = nodeSelector;
        this.required = required;
        this.preferred = preferred;
        this.preferredWeights = weights;
    }

    static NodeAffinity of(PodSpec spec) {
        Map<String, String> selector = spec.getNodeSelector() == null ? Map.of() : Map.copyOf(spec.getNodeSelector());
        List<Term> required = null;
        List<Term> preferred = new ArrayList<>();
        List<Integer> weights = new ArrayList<>();
        Affinity affinity = spec.getAffinity();
        if (affinity != null && affinity.getNodeAffinity() != null) {
            NodeSelector req = affinity.getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution();
            if (req != null) {
                required = new ArrayList<>();
                for (NodeSelectorTerm t : nullSafe(req.getNodeSelectorTerms())) {
                    required.add(Term.of(t));
                }
            }
            for (PreferredSchedulingTerm p : nullSafe(affinity.getNodeAffinity().getPreferredDuringSchedulingIgnoredDuringExecution())) {
                if (p.getWeight() != null && p.getWeight() != 0 && p.getPreference() != null) {
                    preferred.add(Term.of(p.getPreference()));
                    weights.add(p.getWeight());
                }
            }
        }
        return new NodeAffinity(selector, required, preferred, weights);
    }

    /** The nodeSelector and the required node affinity together. */
    boolean matches(Map<String, String> labels, String nodeName) {
        for (Map.Entry<String, String> e : nodeSelector.entrySet()) {
            if (!e.getValue().equals(labels.get(e.getKey()))) {
                return false;
            }
        }
        if (required == null) {
            return true;
        }
        for (Term t : required) {
            if (t.matches(labels, nodeName)) {
                return true;
            }
        }
        return false;
    }

    boolean hasPreferences() {
        return !preferred.isEmpty();
    }

    long preferredScore(Map<String, String> labels, String nodeName) {
        long score = 0;
        for (int i = 0; i < preferred.size(); i++) {
            if (preferred.get(i).matches(labels, nodeName)) {
                score += preferredWeights.get(i);
            }
        }
        return score;
    }

    /**
     * The nodes named by {@code metadata.name In} in every required term (the union over terms), so
     * that a DaemonSet pod looks at its one node only. Null when some term leaves all nodes open.
     */
    Set<String> namedNodes() {
        if (required == null || required.isEmpty()) {
            return null;
        }
        Set<String> union = new HashSet<>();
        for (Term t : required) {
            if (t.namedNodes == null) {
                return null;
            }
            union.addAll(t.namedNodes);
        }
        return union;
    }

    private static <T> List<T> nullSafe(List<T> l) {
        return l == null ? List.of() : l;
    }

    /** One nodeSelectorTerm. */
    private static final class Term {
        private final List<NodeSelectorRequirement> expressions;
        private final List<NodeSelectorRequirement> fields;
        private final boolean valid;
        /** Intersection of the "metadata.name In" field requirements, or null if there is none. */
        private final Set<String> namedNodes;

        private Term(List<NodeSelectorRequirement> expressions, List<NodeSelectorRequirement> fields, boolean valid,
                     Set<String> namedNodes) {
            this.expressions = expressions;
            this.fields = fields;
            this.valid = valid;
            this.namedNodes = namedNodes;
        }

        static Term of(NodeSelectorTerm t) {
            List<NodeSelectorRequirement> exprs = nullSafe(t.getMatchExpressions());
            List<NodeSelectorRequirement> fields = nullSafe(t.getMatchFields());
            boolean valid = !(exprs.isEmpty() && fields.isEmpty());
            for (NodeSelectorRequirement r : exprs) {
                valid &= validExpression(r);
            }
            Set<String> named = null;
            for (NodeSelectorRequirement r : fields) {
                valid &= METADATA_NAME.equals(r.getKey()) && ("In".equals(r.getOperator()) || "NotIn".equals(r.getOperator()))
                        && r.getValues() != null && r.getValues().size() == 1;
                if (METADATA_NAME.equals(r.getKey()) && "In".equals(r.getOperator()) && r.getValues() != null) {
                    Set<String> s = new HashSet<>(r.getValues());
                    if (named == null) {
                        named = s;
                    } else {
                        named.retainAll(s);
                    }
                }
            }
            return new Term(exprs, fields, valid, valid ? named : null);
        }

        private static boolean validExpression(NodeSelectorRequirement r) {
            List<String> values = nullSafe(r.getValues());
            if (r.getKey() == null || r.getKey().isEmpty() || r.getOperator() == null) {
                return false;
            }
            return switch (r.getOperator()) {
                case "In", "NotIn" -> !values.isEmpty();
                case "Exists", "DoesNotExist" -> values.isEmpty();
                case "Gt", "Lt" -> values.size() == 1 && parseLong(values.get(0)) != null;
                default -> false;
            };
        }

        boolean matches(Map<String, String> labels, String nodeName) {
            if (!valid) {
                return false;
            }
            for (NodeSelectorRequirement r : expressions) {
                if (!matchesExpression(r, labels.get(r.getKey()))) {
                    return false;
                }
            }
            for (NodeSelectorRequirement r : fields) {
                boolean in = r.getValues().contains(nodeName);
                if ("In".equals(r.getOperator()) != in) {
                    return false;
                }
            }
            return true;
        }

        private static boolean matchesExpression(NodeSelectorRequirement r, String value) {
            return switch (r.getOperator()) {
                case "In" -> value != null && r.getValues().contains(value);
                case "NotIn" -> value == null || !r.getValues().contains(value);
                case "Exists" -> value != null;
                case "DoesNotExist" -> value == null;
                case "Gt", "Lt" -> {
                    Long actual = value == null ? null : parseLong(value);
                    long bound = parseLong(r.getValues().get(0));
                    yield actual != null && ("Gt".equals(r.getOperator()) ? actual > bound : actual < bound);
                }
                default -> false;
            };
        }

        private static Long parseLong(String s) {
            try {
                return Long.parseLong(s.trim());
            } catch (NumberFormatException e) {
                return null;
            }
        }
    }
}
