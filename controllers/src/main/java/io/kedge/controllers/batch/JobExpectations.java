package io.kedge.controllers.batch;

import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Pod changes a Job's reconcile has made and the pod cache may not show yet. Until it does, another
 * reconcile must not create or delete pods again, and must not count a pod whose tracking finalizer
 * it already removed.
 */
final class JobExpectations {
    /** Past this, pending changes are given up on (a pod created and deleted before the cache saw it). */
    private static final Duration PATIENCE = Duration.ofMinutes(5);

    private static final class Pending {
        final Set<String> createdNames = new HashSet<>();
        final Set<String> deletedUids = new HashSet<>();
        final Set<String> releasedUids = new HashSet<>();
        Instant since;

        boolean isEmpty() {
            return createdNames.isEmpty() && deletedUids.isEmpty() && releasedUids.isEmpty();
        }
    }

    private final Map<String, Pending> byJob = new HashMap<>();

    synchronized void expectCreated(String jobUid, String podName, Instant now) {
        pending(jobUid, now).createdNames.add(podName);
    }

    synchronized void expectDeleted(String jobUid, String podUid, Instant now) {
        pending(jobUid, now).deletedUids.add(podUid);
    }

    synchronized void expectReleased(String jobUid, String podUid, Instant now) {
        pending(jobUid, now).releasedUids.add(podUid);
    }

    /** Whether every pod creation and deletion made for the Job shows in {@code pods}, the Job's pods in the cache. */
    synchronized boolean podsSettled(String jobUid, List<Pod> pods, Instant now) {
        Pending p = byJob.get(jobUid);
        if (p == null) {
            return true;
        }
        if (Duration.between(p.since, now).compareTo(PATIENCE) > 0) {
            byJob.remove(jobUid);
            return true;
        }
        Map<String, Pod> byUid = new HashMap<>();
        Set<String> names = new HashSet<>();
        for (Pod pod : pods) {
            byUid.put(JobPods.uid(pod), pod);
            names.add(pod.getMetadata().getName());
        }
        p.createdNames.removeIf(names::contains);
        p.deletedUids.removeIf(uid -> !byUid.containsKey(uid) || JobPods.beingDeleted(byUid.get(uid)));
        p.releasedUids.removeIf(uid -> !byUid.containsKey(uid) || !JobPods.hasTrackingFinalizer(byUid.get(uid)));
        if (p.isEmpty()) {
            byJob.remove(jobUid);
        }
        return p.createdNames.isEmpty() && p.deletedUids.isEmpty();
    }

    /** Pods whose tracking finalizer this controller removed though the cache still shows it (call after {@link #podsSettled}). */
    synchronized Set<String> beingReleased(String jobUid) {
        Pending p = byJob.get(jobUid);
        return p == null ? Set.of() : Set.copyOf(p.releasedUids);
    }

    synchronized void forget(String jobUid) {
        byJob.remove(jobUid);
    }

    private Pending pending(String jobUid, Instant now) {
        Pending p = byJob.computeIfAbsent(jobUid, k -> new Pending());
        p.since = now;
        return p;
    }
}
