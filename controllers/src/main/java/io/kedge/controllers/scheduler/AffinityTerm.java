package io.kedge.controllers.scheduler;

import io.fabric8.kubernetes.api.model.PodAffinityTerm;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * One pod (anti-)affinity term, compiled: which pods it selects (namespaces, namespace selector,
 * label selector) and the node label that defines "the same place". Weight is 0 for required terms.
 */
record AffinityTerm(Set<String> namespaces, Selector namespaceSelector, Selector selector, String topologyKey, int weight) {

    /**
     * @param owner the pod that declares the term: its namespace is the default, and its labels fill
     *              matchLabelKeys and mismatchLabelKeys
     */
    static AffinityTerm of(PodAffinityTerm t, int weight, String ownerNamespace, Map<String, String> ownerLabels, String where) {
        if (t.getTopologyKey() == null || t.getTopologyKey().isEmpty()) {
            throw new IllegalArgumentException(where + ": topologyKey must not be empty");
        }
        Selector selector = Selector.of(t.getLabelSelector(), where + " labelSelector");
        if (t.getLabelSelector() != null) {
            for (String key : list(t.getMatchLabelKeys())) {
                if (ownerLabels.containsKey(key)) {
                    selector = selector.and(key, true, ownerLabels.get(key));
                }
            }
            for (String key : list(t.getMismatchLabelKeys())) {
                if (ownerLabels.containsKey(key)) {
                    selector = selector.and(key, false, ownerLabels.get(key));
                }
            }
        }
        List<String> names = list(t.getNamespaces());
        Selector nsSelector = t.getNamespaceSelector() == null ? null
                : Selector.of(t.getNamespaceSelector(), where + " namespaceSelector");
        Set<String> namespaces = names.isEmpty() && nsSelector == null ? Set.of(ownerNamespace) : Set.copyOf(names);
        return new AffinityTerm(namespaces, nsSelector, selector, t.getTopologyKey(), weight);
    }

    /** Whether {@code pod} is one of the pods this term selects. */
    boolean selects(PodInfo pod, Function<String, Map<String, String>> namespaceLabels) {
        if (!namespaces.contains(pod.namespace())
                && (namespaceSelector == null || !namespaceSelector.matches(namespaceLabels.apply(pod.namespace())))) {
            return false;
        }
        return selector.matches(pod.labels());
    }

    private static <T> List<T> list(List<T> l) {
        return l == null ? List.of() : l;
    }
}
