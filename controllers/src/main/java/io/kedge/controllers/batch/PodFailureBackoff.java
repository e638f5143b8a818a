package io.kedge.controllers.batch;

import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The delay before a Job replaces failed pods: it doubles with each failure since the last success,
 * counted from the last failure. Kept in memory only, as upstream does; a restart forgets it.
 */
final class PodFailureBackoff {
    /** Failures since the Job's last pod success, and when the latest of them ended. */
    record Record(int failuresSinceSuccess, Instant lastFailure) {
        static final Record NONE = new Record(0, null);
    }

    private final Map<String, Record> records = new ConcurrentHashMap<>();

    /** The record once the given newly finished pods are taken into account; not kept until {@link #commit}. */
    Record next(String jobUid, List<Pod> newSucceeded, List<Pod> newFailed, Instant now) {
        Record current = records.getOrDefault(jobUid, Record.NONE);
        if (newSucceeded.isEmpty()) {
            if (newFailed.isEmpty()) {
                return current;
            }
            Instant last = latest(newFailed, current.lastFailure(), now);
            return new Record(current.failuresSinceSuccess() + newFailed.size(), last);
        }
        Instant lastSuccess = latest(newSucceeded, null, now);
        List<Pod> failedSince = newFailed.stream().filter(p -> JobPods.finishTime(p, now).isAfter(lastSuccess)).toList();
        return failedSince.isEmpty() ? Record.NONE : new Record(failedSince.size(), latest(failedSince, null, now));
    }

    void commit(String jobUid, Record record) {
        if (record.failuresSinceSuccess() == 0) {
            records.remove(jobUid);
        } else {
            records.put(jobUid, record);
        }
    }

    void forget(String jobUid) {
        records.remove(jobUid);
    }

    /** How long pod creation must still wait: base × 2^(failures − 1), at most {@code max}, from the last failure. */
    static Duration remaining(Record record, Instant now, Duration base, Duration max) {
        if (record.failuresSinceSuccess() == 0 || record.lastFailure() == null) {
            return Duration.ZERO;
        }
        Duration backoff = base;
        for (int i = 1; i < record.failuresSinceSuccess() && backoff.compareTo(max) < 0; i++) {
            backoff = backoff.multipliedBy(2);
        }
        if (backoff.compareTo(max) > 0) {
            backoff = max;
        }
        Duration left = backoff.minus(Duration.between(record.lastFailure(), now));
        return left.isNegative() ? Duration.ZERO : left;
    }

    private static Instant latest(List<Pod> pods, Instant start, Instant now) {
        Instant latest = start;
        for (Pod p : pods) {
            Instant t = JobPods.finishTime(p, now);
            if (latest == null || t.isAfter(latest)) {
                latest = t;
            }
        }
        return latest;
    }
}
