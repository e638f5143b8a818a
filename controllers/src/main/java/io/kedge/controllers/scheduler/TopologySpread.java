package io.kedge.controllers.scheduler;

import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * topologySpreadConstraints: DoNotSchedule constraints filter nodes whose domain would end up more
 * than maxSkew above the least loaded domain; ScheduleAnyway constraints score nodes by how many
 * matching pods their domain already has. A domain is one value of the constraint's node label
 * among the nodes the pod could use (honouring nodeAffinityPolicy and nodeTaintsPolicy).
 */
final class TopologySpread {
    static final String HOSTNAME = "kubernetes.io/hostname";
    static final String REASON_NOT_MATCH = "node(s) didn't match pod topology spread constraints";
    static final String REASON_MISSING_LABEL = REASON_NOT_MATCH + " (missing required label)";

    record Constraint(int maxSkew, String topologyKey, Selector selector, int minDomains, boolean honorNodeAffinity,
                      boolean honorTaints) {
    }

    private final PodInfo pod;
    private final NodeAffinity nodeAffinity;
    private final List<Toleration> tolerations;
    private final List<Constraint> hard;
    private final List<Constraint> soft;
    /** Per hard constraint: matching pods per domain, the smallest count, and the number of domains. */
    private final List<Map<String, Integer>> hardCounts = new ArrayList<>();
    private int[] hardMin;

    private TopologySpread(PodInfo pod, NodeAffinity nodeAffinity, List<Toleration> tolerations, List<Constraint> hard,
                           List<Constraint> soft) {
        this.pod = pod;
        this.nodeAffinity = nodeAffinity;
        this.tolerations = tolerations;
        this.hard = hard;
        this.soft = soft;
    }

    /** @throws IllegalArgumentException if a constraint is malformed */
    static TopologySpread of(PodInfo pod, PodSpec spec, NodeAffinity nodeAffinity, List<Toleration> tolerations) {
        List<Constraint> hard = new ArrayList<>();
        List<Constraint> soft = new ArrayList<>();
        List<TopologySpreadConstraint> list = spec.getTopologySpreadConstraints() == null ? List.of() : spec.getTopologySpreadConstraints();
        for (int i = 0; i < list.size(); i++) {
            TopologySpreadConstraint c = list.get(i);
            String where = "pod " + pod.key() + " topologySpreadConstraints[" + i + "]";
            Constraint parsed = constraint(c, pod, where);
            switch (c.getWhenUnsatisfiable() == null ? "" : c.getWhenUnsatisfiable()) {
                case "DoNotSchedule" -> hard.add(parsed);
                case "ScheduleAnyway" -> soft.add(parsed);
                default -> throw new IllegalArgumentException(where + ": whenUnsatisfiable must be DoNotSchedule or ScheduleAnyway, not \""
                        + c.getWhenUnsatisfiable() + "\"");
            }
        }
        return new TopologySpread(pod, nodeAffinity, tolerations, hard, soft);
    }

    private static Constraint constraint(TopologySpreadConstraint c, PodInfo pod, String where) {
        if (c.getMaxSkew() == null || c.getMaxSkew() <= 0) {
            throw new IllegalArgumentException(where + ": maxSkew must be greater than zero");
        }
        if (c.getTopologyKey() == null || c.getTopologyKey().isEmpty()) {
            throw new IllegalArgumentException(where + ": topologyKey must not be empty");
        }
        Selector selector = Selector.of(c.getLabelSelector(), where + " labelSelector");
        if (c.getMatchLabelKeys() != null) {
            for (String key : c.getMatchLabelKeys()) {
                String value = pod.labels().get(key);
                if (value != null) {
                    selector = selector.and(key, true, value);
                }
            }
        }
        int minDomains = c.getMinDomains() == null ? 1 : c.getMinDomains();
        boolean honorAffinity = !"Ignore".equals(c.getNodeAffinityPolicy());
        boolean honorTaints = "Honor".equals(c.getNodeTaintsPolicy());
        return new Constraint(c.getMaxSkew(), c.getTopologyKey(), selector, minDomains, honorAffinity, honorTaints);
    }

    boolean hasHard() {
        return !hard.isEmpty();
    }

    boolean hasSoft() {
        return !soft.isEmpty();
    }

    /** Counts matching pods per domain for the DoNotSchedule constraints; call before {@link #filter}. */
    void prepareFilter(Collection<NodeInfo> nodes) {
        for (int i = 0; i < hard.size(); i++) {
            hardCounts.add(new HashMap<>());
        }
        for (NodeInfo n : nodes) {
            if (n.node() == null || !hasAllKeys(n, hard)) {
                continue;
            }
            for (int i = 0; i < hard.size(); i++) {
                Constraint c = hard.get(i);
                if (included(c, n)) {
                    hardCounts.get(i).merge(n.labels().get(c.topologyKey()), countMatching(n, c.selector()), Integer::sum);
                }
            }
        }
        hardMin = new int[hard.size()];
        for (int i = 0; i < hard.size(); i++) {
            int min = Integer.MAX_VALUE;
            for (int v : hardCounts.get(i).values()) {
                min = Math.min(min, v);
            }
            hardMin[i] = hardCounts.get(i).size() < hard.get(i).minDomains() ? 0 : min;
        }
    }

    /** @return null if the node keeps every DoNotSchedule constraint, else the reason */
    String filter(NodeInfo n) {
        for (int i = 0; i < hard.size(); i++) {
            Constraint c = hard.get(i);
            String value = n.labels().get(c.topologyKey());
            if (value == null) {
                return REASON_MISSING_LABEL;
            }
            int self = c.selector().matches(pod.labels()) ? 1 : 0;
            long skew = (long) hardCounts.get(i).getOrDefault(value, 0) + self - hardMin[i];
            if (skew > c.maxSkew()) {
                return REASON_NOT_MATCH;
            }
        }
        return null;
    }

    /**
     * Scores the feasible nodes 0..100 for the ScheduleAnyway constraints, fewer matching pods in a
     * node's domains scoring higher; a node lacking one of the labels scores 0.
     */
    long[] score(List<NodeInfo> feasible, Collection<NodeInfo> all) {
        long[] out = new long[feasible.size()];
        boolean[] ignored = new boolean[feasible.size()];
        List<Map<String, Long>> counts = new ArrayList<>();
        int[] domains = new int[soft.size()];
        for (int i = 0; i < soft.size(); i++) {
            counts.add(new HashMap<>());
        }
        int eligible = 0;
        for (int j = 0; j < feasible.size(); j++) {
            NodeInfo n = feasible.get(j);
            if (!hasAllKeys(n, soft)) {
                ignored[j] = true;
                continue;
            }
            eligible++;
            for (int i = 0; i < soft.size(); i++) {
                String key = soft.get(i).topologyKey();
                if (!HOSTNAME.equals(key) && counts.get(i).putIfAbsent(n.labels().get(key), 0L) == null) {
                    domains[i]++;
                }
            }
        }
        double[] weights = new double[soft.size()];
        for (int i = 0; i < soft.size(); i++) {
            int size = HOSTNAME.equals(soft.get(i).topologyKey()) ? eligible : domains[i];
            weights[i] = Math.log(size + 2);
        }
        for (NodeInfo n : all) {
            if (n.node() == null || !hasAllKeys(n, soft)) {
                continue;
            }
            for (int i = 0; i < soft.size(); i++) {
                Constraint c = soft.get(i);
                if (HOSTNAME.equals(c.topologyKey()) || !included(c, n)) {
                    continue;
                }
                counts.get(i).computeIfPresent(n.labels().get(c.topologyKey()), (k, v) -> v + countMatching(n, c.selector()));
            }
        }
        long min = Long.MAX_VALUE;
        long max = 0;
        for (int j = 0; j < feasible.size(); j++) {
            if (ignored[j]) {
                continue;
            }
            NodeInfo n = feasible.get(j);
            double s = 0;
            for (int i = 0; i < soft.size(); i++) {
                Constraint c = soft.get(i);
                long cnt = HOSTNAME.equals(c.topologyKey()) ? countMatching(n, c.selector())
                        : counts.get(i).getOrDefault(n.labels().get(c.topologyKey()), 0L);
                s += cnt * weights[i] + (c.maxSkew() - 1);
            }
            out[j] = Math.round(s);
            min = Math.min(min, out[j]);
            max = Math.max(max, out[j]);
        }
        for (int j = 0; j < feasible.size(); j++) {
            if (ignored[j]) {
                out[j] = 0;
            } else {
                out[j] = max == 0 ? Scoring.MAX_SCORE : Scoring.MAX_SCORE * (max + min - out[j]) / max;
            }
        }
        return out;
    }

    private boolean included(Constraint c, NodeInfo n) {
        if (c.honorNodeAffinity() && !nodeAffinity.matches(n.labels(), n.name())) {
            return false;
        }
        return !c.honorTaints() || Tolerations.firstUntolerated(n.taints(), tolerations) == null;
    }

    private int countMatching(NodeInfo n, Selector selector) {
        int count = 0;
        for (PodInfo p : n.pods()) {
            if (!p.terminating() && p.namespace().equals(pod.namespace()) && selector.matches(p.labels())) {
                count++;
            }
        }
        return count;
    }

    private static boolean hasAllKeys(NodeInfo n, List<Constraint> constraints) {
        for (Constraint c : constraints) {
            if (!n.labels().containsKey(c.topologyKey())) {
                return false;
            }
        }
        return true;
    }
}
