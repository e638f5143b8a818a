package io.kedge.controllers.scheduler;

import io.fabric8.kubernetes.api.model.Pod;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Chooses a node for one pod against the {@link SchedulerCache}: nodes go through the filters
 * until enough feasible ones are found (all nodes in small clusters; see {@link #feasibleNodesToFind}),
 * the feasible ones are scored (taint toleration, node affinity, topology spread, pod affinity,
 * least allocated, with kube-scheduler's weights), and the best wins; ties go to the node whose
 * name sorts first. Costs O(nodes) per pod, plus O(pods) when the pod uses pod affinity or topology
 * spread. Makes no API calls, so it can be measured on its own. Not for concurrent use: one
 * scheduling thread, like kube-scheduler's scheduling cycle.
 */
public final class SchedulingAlgorithm {
    static final String NO_NODES = "no nodes available to schedule pods";
    static final String REASON_AFFINITY_CONFLICT = "pod affinity terms conflict";
    static final String REASON_NOT_NAMED = "node(s) didn't satisfy plugin(s) [NodeAffinity]";

    /** Below this many nodes every node is looked at; above it, enough feasible ones end the search. */
    static final int MIN_FEASIBLE_NODES_TO_FIND = 100;
    static final int MIN_FEASIBLE_NODES_PERCENTAGE = 5;

    private final SchedulerCache cache;
    /** Where the next search begins, so that successive pods look at different nodes first. */
    private int nextStart;

    public SchedulingAlgorithm(SchedulerCache cache) {
        this.cache = cache;
    }

    /** Picks a node for the pod without placing it there; {@link SchedulerCache#assume} does that. */
    public ScheduleResult schedule(Pod pod) {
        synchronized (cache) {
            NodeFilter filter;
            try {
                filter = new NodeFilter(PodInfo.of(pod), cache);
            } catch (IllegalArgumentException e) {
                return ScheduleResult.error(e.getMessage());
            }
            List<NodeInfo> all = cache.nodeInfos();
            int nodeCount = 0;
            for (NodeInfo n : all) {
                if (n.node() != null) {
                    nodeCount++;
                }
            }
            if (nodeCount == 0) {
                return ScheduleResult.unschedulable(NO_NODES, false);
            }
            Map<String, Integer> reasons = new HashMap<>();
            List<NodeInfo> candidates = all;
            Set<String> named = filter.nodeAffinity.namedNodes();
            if (named != null) {
                if (named.isEmpty()) {
                    return ScheduleResult.unschedulable(message(nodeCount, List.of(REASON_AFFINITY_CONFLICT)), false);
                }
                candidates = named(named);
                if (nodeCount > candidates.size()) {
                    reasons.put(REASON_NOT_NAMED, nodeCount - candidates.size());
                }
            }
            filter.prepare(all);
            List<NodeInfo> feasible = new ArrayList<>();
            List<String> nodeReasons = new ArrayList<>(4);
            int enough = feasibleNodesToFind(nodeCount);
            int size = candidates.size();
            int start = named == null ? nextStart % size : 0;
            int visited = 0;
            while (visited < size && feasible.size() < enough) {
                NodeInfo n = candidates.get((start + visited) % size);
                visited++;
                if (n.node() == null) {
                    continue;
                }
                nodeReasons.clear();
                if (filter.fits(n, nodeReasons)) {
                    feasible.add(n);
                } else {
                    for (String r : nodeReasons) {
                        reasons.merge(r, 1, Integer::sum);
                    }
                }
            }
            if (named == null) {
                nextStart = (start + visited) % size;
            }
            if (feasible.isEmpty()) {
                boolean affinity = reasons.containsKey(InterPodAffinity.REASON_AFFINITY)
                        || reasons.containsKey(InterPodAffinity.REASON_ANTI_AFFINITY)
                        || reasons.containsKey(InterPodAffinity.REASON_EXISTING_ANTI_AFFINITY)
                        || reasons.containsKey(TopologySpread.REASON_NOT_MATCH);
                return ScheduleResult.unschedulable(message(nodeCount, histogram(reasons)), affinity);
            }
            return ScheduleResult.scheduled(feasible.size() == 1 ? feasible.get(0).name() : best(filter, feasible, all));
        }
    }

    /**
     * How many feasible nodes are enough to pick from: all of them in clusters under 100 nodes, then
     * a share that shrinks from 50% as the cluster grows (never under 5%, never under 100 nodes), as
     * kube-scheduler's adaptive percentageOfNodesToScore does.
     */
    static int feasibleNodesToFind(int nodeCount) {
        if (nodeCount < MIN_FEASIBLE_NODES_TO_FIND) {
            return nodeCount;
        }
        int percentage = Math.max(MIN_FEASIBLE_NODES_PERCENTAGE, 50 - nodeCount / 125);
        return Math.max(MIN_FEASIBLE_NODES_TO_FIND, nodeCount * percentage / 100);
    }

    private List<NodeInfo> named(Set<String> names) {
        List<NodeInfo> out = new ArrayList<>();
        for (String name : names) {
            NodeInfo n = cache.nodeInfo(name);
            if (n != null && n.node() != null) {
                out.add(n);
            }
        }
        return out;
    }

    private String best(NodeFilter filter, List<NodeInfo> feasible, Collection<NodeInfo> all) {
        int size = feasible.size();
        long[] total = new long[size];
        long[] taints = new long[size];
        long[] affinity = new long[size];
        for (int j = 0; j < size; j++) {
            NodeInfo n = feasible.get(j);
            taints[j] = Tolerations.intolerablePreferNoSchedule(n.taints(), filter.tolerations);
            affinity[j] = filter.nodeAffinity.hasPreferences() ? filter.nodeAffinity.preferredScore(n.labels(), n.name()) : 0;
            total[j] = Scoring.LEAST_ALLOCATED_WEIGHT * Scoring.leastAllocated(n, filter.pod);
        }
        Scoring.normalize(taints, true);
        Scoring.normalize(affinity, false);
        add(total, taints, Scoring.TAINT_TOLERATION_WEIGHT);
        add(total, affinity, Scoring.NODE_AFFINITY_WEIGHT);
        if (filter.spread.hasSoft()) {
            add(total, filter.spread.score(feasible, all), Scoring.TOPOLOGY_SPREAD_WEIGHT);
        }
        if (InterPodAffinity.scores(filter.pod, all)) {
            add(total, filter.podAffinity().score(feasible, all), Scoring.INTER_POD_AFFINITY_WEIGHT);
        }
        int best = 0;
        for (int j = 1; j < size; j++) {
            if (total[j] > total[best] || total[j] == total[best] && feasible.get(j).name().compareTo(feasible.get(best).name()) < 0) {
                best = j;
            }
        }
        return feasible.get(best).name();
    }

    private static void add(long[] total, long[] scores, int weight) {
        for (int j = 0; j < total.length; j++) {
            total[j] += weight * scores[j];
        }
    }

    /** "3 Insufficient cpu"-style entries, sorted as plain strings the way upstream sorts them. */
    private static List<String> histogram(Map<String, Integer> reasons) {
        List<String> out = new ArrayList<>();
        reasons.forEach((reason, count) -> out.add(count + " " + reason));
        out.sort(null);
        return out;
    }

    static String message(int nodeCount, List<String> parts) {
        return "0/" + nodeCount + " nodes are available: " + String.join(", ", parts) + ".";
    }
}
