package io.kedge.controllers.sets;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one pass of the DaemonSet controller does, worked out from the nodes and the DaemonSet's
 * pods without touching the API: nodes that need a pod, pods to delete, and the status counts.
 */
final class DaemonSetPlan {
    /** The update strategy: RollingUpdate with its two budgets, or OnDelete (rolling=false). */
    record Strategy(boolean rolling, IntOrString maxUnavailable, IntOrString maxSurge) {}

    record Counts(int desired, int current, int misscheduled, int ready, int available, int updated) {}

    final List<String> createOn = new ArrayList<>();
    final List<Pod> delete = new ArrayList<>();
    /** Failed pods, deleted too, but reported with their own event. */
    final List<Pod> failed = new ArrayList<>();
    Counts counts;
    /** When a ready pod becomes available (minReadySeconds), so the status can say so. */
    Duration recheck;

    /** The pods on one node that should run one, after the duplicates and failures are set aside. */
    private record OnNode(String node, Pod old, Pod current) {}

    static DaemonSetPlan compute(List<Node> nodes, PodSpec daemonPodSpec, List<Pod> pods, String hash,
                                 Strategy strategy, int minReadySeconds, Instant now) {
        DaemonSetPlan plan = new DaemonSetPlan();
        Map<String, List<Pod>> byNode = new HashMap<>();
        for (Pod p : pods) {
            String node = DaemonPlacement.targetNode(p);
            if (node != null) {
                byNode.computeIfAbsent(node, k -> new ArrayList<>()).add(p);
            }
        }
        boolean surge = strategy.rolling() && IntOrPercent.scaled(strategy.maxSurge(), 1, 0, "maxSurge") > 0;
        int desired = 0, current = 0, misscheduled = 0, ready = 0, available = 0, updated = 0;
        Map<String, OnNode> running = new LinkedHashMap<>();
        List<Node> sorted = new ArrayList<>(nodes);
        sorted.sort(Comparator.comparing(n -> n.getMetadata().getName()));
        for (Node node : sorted) {
            String name = node.getMetadata().getName();
            DaemonPlacement.Fit fit = DaemonPlacement.fit(node, daemonPodSpec);
            List<Pod> here = byNode.getOrDefault(name, List.of()).stream()
                    .sorted(Comparator.comparing(PodStates::created).thenComparing(p -> p.getMetadata().getName())).toList();
            List<Pod> live = here.stream().filter(p -> !PodStates.terminating(p)).toList();
            if (fit.shouldRun()) {
                desired++;
                if (!live.isEmpty()) {
                    current++;
                    Pod first = live.get(0);
                    if (PodStates.ready(first)) {
                        ready++;
                        if (PodStates.available(first, minReadySeconds, now)) {
                            available++;
                        }
                    }
                    if (updated(first, hash)) {
                        updated++;
                    }
                }
                plan.placeOn(name, here, live, hash, surge, running);
            } else {
                if (!live.isEmpty()) {
                    misscheduled++;
                }
                if (!fit.keep()) {
                    plan.delete.addAll(live);
                }
            }
        }
        plan.counts = new Counts(desired, current, misscheduled, ready, available, updated);
        if (strategy.rolling()) {
            if (surge) {
                plan.surgeUpdate(running, strategy, desired, minReadySeconds, now);
            } else {
                plan.replaceUpdate(running, strategy, desired, minReadySeconds, now);
            }
        }
        plan.recheck = soonestAvailability(pods, minReadySeconds, now);
        return plan;
    }

    private void placeOn(String node, List<Pod> here, List<Pod> live, String hash, boolean surge, Map<String, OnNode> running) {
        if (here.isEmpty()) {
            createOn.add(node);
            return;
        }
        // a node whose pods are all going waits for them to be gone before it gets a new one
        List<Pod> healthy = new ArrayList<>();
        for (Pod p : live) {
            if (PodStates.failed(p) || PodStates.succeeded(p)) {
                failed.add(p);
            } else {
                healthy.add(p);
            }
        }
        Pod old = null;
        Pod cur = null;
        for (Pod p : healthy) {
            boolean isNew = updated(p, hash);
            if (!surge && old == null && cur == null) {
                if (isNew) {
                    cur = p;
                } else {
                    old = p;
                }
            } else if (surge && isNew && cur == null) {
                cur = p;
            } else if (surge && !isNew && old == null) {
                old = p;
            } else {
                delete.add(p);
            }
        }
        if (old != null || cur != null) {
            running.put(node, new OnNode(node, old, cur));
        }
    }

    /** maxSurge 0: delete old pods while the number of nodes without an available pod stays within maxUnavailable. */
    private void replaceUpdate(Map<String, OnNode> running, Strategy strategy, int desired, int minReadySeconds, Instant now) {
        int maxUnavailable = IntOrPercent.scaled(strategy.maxUnavailable(), desired, 1, "maxUnavailable");
        if (maxUnavailable < 1) {
            maxUnavailable = 1;
        }
        int availableNodes = 0;
        List<Pod> candidates = new ArrayList<>();
        for (OnNode n : running.values()) {
            Pod p = n.current() != null ? n.current() : n.old();
            boolean avail = PodStates.available(p, minReadySeconds, now);
            if (avail) {
                availableNodes++;
            }
            if (n.old() != null) {
                if (avail) {
                    candidates.add(n.old());
                } else {
                    delete.add(n.old()); // unavailable already: replacing it costs nothing
                }
            }
        }
        int unavailable = desired - availableNodes;
        for (Pod p : candidates) {
            if (unavailable >= maxUnavailable) {
                break;
            }
            delete.add(p);
            unavailable++;
        }
    }

    /** maxSurge above 0: start the new pod beside the old one, and delete the old one once the new one is available. */
    private void surgeUpdate(Map<String, OnNode> running, Strategy strategy, int desired, int minReadySeconds, Instant now) {
        int maxSurge = IntOrPercent.scaled(strategy.maxSurge(), desired, 0, "maxSurge");
        int surging = 0;
        for (OnNode n : running.values()) {
            if (n.old() != null && n.current() != null && !PodStates.available(n.current(), minReadySeconds, now)) {
                surging++;
            }
        }
        for (OnNode n : running.values()) {
            if (n.old() == null) {
                continue;
            }
            if (n.current() == null) {
                if (!PodStates.available(n.old(), minReadySeconds, now)) {
                    createOn.add(n.node());
                } else if (surging < maxSurge) {
                    createOn.add(n.node());
                    surging++;
                }
            } else if (PodStates.available(n.current(), minReadySeconds, now)) {
                delete.add(n.old());
            }
        }
    }

    static boolean updated(Pod p, String hash) {
        return p.getMetadata().getLabels() != null && hash.equals(p.getMetadata().getLabels().get(Revisions.POD_LABEL));
    }

    private static Duration soonestAvailability(List<Pod> pods, int minReadySeconds, Instant now) {
        if (minReadySeconds <= 0) {
            return null;
        }
        Instant soonest = null;
        for (Pod p : pods) {
            Instant at = PodStates.availableAt(p, minReadySeconds);
            if (at != null && at.isAfter(now) && (soonest == null || at.isBefore(soonest))) {
                soonest = at;
            }
        }
        return soonest == null ? null : Duration.between(now, soonest).plusMillis(100);
    }
}
