package io.kedge.controllers.scheduler;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Pod affinity and anti-affinity. The filter keeps the incoming pod's required terms and the
 * required anti-affinity of pods already placed (symmetry); the score adds the preferred terms of
 * both sides, and existing pods' required affinity with weight 1, per topology domain.
 */
final class InterPodAffinity {
    static final String REASON_AFFINITY = "node(s) didn't match pod affinity rules";
    static final String REASON_ANTI_AFFINITY = "node(s) didn't match pod anti-affinity rules";
    static final String REASON_EXISTING_ANTI_AFFINITY = "node(s) didn't satisfy existing pods anti-affinity rules";
    private static final int HARD_AFFINITY_WEIGHT = 1;

    /** One value of one node label: a topology domain. */
    private record Domain(String key, String value) {
    }

    private final PodInfo pod;
    private final Function<String, Map<String, String>> namespaceLabels;
    private final Map<Domain, Integer> existingAntiAffinity = new HashMap<>();
    private final Map<Domain, Integer> affinity = new HashMap<>();
    private final Map<Domain, Integer> antiAffinity = new HashMap<>();

    InterPodAffinity(PodInfo pod, Function<String, Map<String, String>> namespaceLabels) {
        this.pod = pod;
        this.namespaceLabels = namespaceLabels;
    }

    /** Whether the filter has anything to check for this pod at all. */
    static boolean filters(PodInfo pod, SchedulerCache cache) {
        return !pod.requiredAffinity().isEmpty() || !pod.requiredAntiAffinity().isEmpty() || cache.anyPodWithRequiredAntiAffinity();
    }

    void prepareFilter(Collection<NodeInfo> nodes) {
        boolean incomingTerms = !pod.requiredAffinity().isEmpty() || !pod.requiredAntiAffinity().isEmpty();
        for (NodeInfo n : nodes) {
            if (n.node() == null) {
                continue;
            }
            if (n.hasPodsWithRequiredAntiAffinity()) {
                for (PodInfo existing : n.pods()) {
                    for (AffinityTerm t : existing.requiredAntiAffinity()) {
                        if (t.selects(pod, namespaceLabels)) {
                            count(existingAntiAffinity, t, n, 1);
                        }
                    }
                }
            }
            if (incomingTerms) {
                for (PodInfo existing : n.pods()) {
                    if (!pod.requiredAffinity().isEmpty() && selectsAll(pod.requiredAffinity(), existing)) {
                        pod.requiredAffinity().forEach(t -> count(affinity, t, n, 1));
                    }
                    for (AffinityTerm t : pod.requiredAntiAffinity()) {
                        if (t.selects(existing, namespaceLabels)) {
                            count(antiAffinity, t, n, 1);
                        }
                    }
                }
            }
        }
    }

    /** @return null if the node fits, else the reason (affinity, then anti-affinity, then existing pods' anti-affinity) */
    String filter(NodeInfo n) {
        if (!satisfiesAffinity(n)) {
            return REASON_AFFINITY;
        }
        for (AffinityTerm t : pod.requiredAntiAffinity()) {
            String value = n.labels().get(t.topologyKey());
            if (value != null && antiAffinity.getOrDefault(new Domain(t.topologyKey(), value), 0) > 0) {
                return REASON_ANTI_AFFINITY;
            }
        }
        for (Map.Entry<Domain, Integer> e : existingAntiAffinity.entrySet()) {
            if (e.getValue() > 0 && e.getKey().value().equals(n.labels().get(e.getKey().key()))) {
                return REASON_EXISTING_ANTI_AFFINITY;
            }
        }
        return null;
    }

    private boolean satisfiesAffinity(NodeInfo n) {
        boolean podsExist = true;
        for (AffinityTerm t : pod.requiredAffinity()) {
            String value = n.labels().get(t.topologyKey());
            if (value == null) {
                return false;
            }
            if (affinity.getOrDefault(new Domain(t.topologyKey(), value), 0) <= 0) {
                podsExist = false;
            }
        }
        // the first pod of a group with affinity to itself must be able to start somewhere
        return podsExist || affinity.isEmpty() && selectsAll(pod.requiredAffinity(), pod);
    }

    /** Whether scoring can tell nodes apart for this pod. */
    static boolean scores(PodInfo pod, Collection<NodeInfo> nodes) {
        if (!pod.preferredAffinity().isEmpty() || !pod.preferredAntiAffinity().isEmpty()) {
            return true;
        }
        for (NodeInfo n : nodes) {
            if (n.hasPodsWithAffinity()) {
                return true;
            }
        }
        return false;
    }

    /** Scores feasible nodes 0..100 relative to one another. */
    long[] score(List<NodeInfo> feasible, Collection<NodeInfo> all) {
        Map<Domain, Long> domainScores = new HashMap<>();
        boolean incomingPreferences = !pod.preferredAffinity().isEmpty() || !pod.preferredAntiAffinity().isEmpty();
        for (NodeInfo n : all) {
            if (n.node() == null || !incomingPreferences && !n.hasPodsWithAffinity()) {
                continue;
            }
            for (PodInfo existing : n.pods()) {
                if (incomingPreferences || existing.hasAffinity()) {
                    scoreExisting(existing, n, domainScores);
                }
            }
        }
        long[] raw = new long[feasible.size()];
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (int j = 0; j < feasible.size(); j++) {
            Map<String, String> labels = feasible.get(j).labels();
            long s = 0;
            for (Map.Entry<Domain, Long> e : domainScores.entrySet()) {
                if (e.getKey().value().equals(labels.get(e.getKey().key()))) {
                    s += e.getValue();
                }
            }
            raw[j] = s;
            min = Math.min(min, s);
            max = Math.max(max, s);
        }
        long[] out = new long[feasible.size()];
        for (int j = 0; j < feasible.size(); j++) {
            out[j] = max - min > 0 ? Scoring.MAX_SCORE * (raw[j] - min) / (max - min) : 0;
        }
        return out;
    }

    private void scoreExisting(PodInfo existing, NodeInfo n, Map<Domain, Long> scores) {
        for (AffinityTerm t : pod.preferredAffinity()) {
            if (t.selects(existing, namespaceLabels)) {
                add(scores, t, n, t.weight());
            }
        }
        for (AffinityTerm t : pod.preferredAntiAffinity()) {
            if (t.selects(existing, namespaceLabels)) {
                add(scores, t, n, -t.weight());
            }
        }
        for (AffinityTerm t : existing.requiredAffinity()) {
            if (t.selects(pod, namespaceLabels)) {
                add(scores, t, n, HARD_AFFINITY_WEIGHT);
            }
        }
        for (AffinityTerm t : existing.preferredAffinity()) {
            if (t.selects(pod, namespaceLabels)) {
                add(scores, t, n, t.weight());
            }
        }
        for (AffinityTerm t : existing.preferredAntiAffinity()) {
            if (t.selects(pod, namespaceLabels)) {
                add(scores, t, n, -t.weight());
            }
        }
    }

    private boolean selectsAll(List<AffinityTerm> terms, PodInfo candidate) {
        for (AffinityTerm t : terms) {
            if (!t.selects(candidate, namespaceLabels)) {
                return false;
            }
        }
        return true;
    }

    private static void count(Map<Domain, Integer> counts, AffinityTerm t, NodeInfo n, int delta) {
        String value = n.labels().get(t.topologyKey());
        if (value != null) {
            counts.merge(new Domain(t.topologyKey(), value), delta, Integer::sum);
        }
    }

    private static void add(Map<Domain, Long> scores, AffinityTerm t, NodeInfo n, long delta) {
        String value = n.labels().get(t.topologyKey());
        if (value != null) {
            scores.merge(new Domain(t.topologyKey(), value), delta, Long::sum);
        }
    }
}
