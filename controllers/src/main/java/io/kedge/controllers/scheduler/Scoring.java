package io.kedge.controllers.scheduler;

/** Score helpers shared by the scoring steps; every step scores 0..100 and is then weighted. */
final class Scoring {
    static final long MAX_SCORE = 100;

    static final int TAINT_TOLERATION_WEIGHT = 3;
    static final int NODE_AFFINITY_WEIGHT = 2;
    static final int TOPOLOGY_SPREAD_WEIGHT = 2;
    static final int INTER_POD_AFFINITY_WEIGHT = 2;
    static final int LEAST_ALLOCATED_WEIGHT = 1;

    private Scoring() {}

    /**
     * The share of cpu and memory left free once the pod is placed, averaged: emptier nodes score
     * higher. Pods without requests count with the default requests so that they spread too.
     */
    static long leastAllocated(NodeInfo n, PodInfo pod) {
        long cpu = leastRequested(n.nonZeroRequested().milliCpu + pod.nonZeroRequests().milliCpu, n.allocatable().milliCpu);
        long memory = leastRequested(n.nonZeroRequested().memory + pod.nonZeroRequests().memory, n.allocatable().memory);
        return (cpu + memory) / 2;
    }

    private static long leastRequested(long requested, long capacity) {
        if (capacity == 0 || requested > capacity) {
            return 0;
        }
        return (capacity - requested) * MAX_SCORE / capacity;
    }

    /** Scales raw scores so that the largest becomes 100; {@code reverse} makes the smallest the best. */
    static void normalize(long[] scores, boolean reverse) {
        long max = 0;
        for (long s : scores) {
            max = Math.max(max, s);
        }
        for (int i = 0; i < scores.length; i++) {
            if (max == 0) {
                scores[i] = reverse ? MAX_SCORE : 0;
            } else {
                long s = MAX_SCORE * scores[i] / max;
                scores[i] = reverse ? MAX_SCORE - s : s;
            }
        }
    }
}
