package io.kedge.controllers.disruption;

import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The pods the eviction subresource has spent the budget on ({@code status.disruptedPods}). Such
 * a pod must not count as healthy until the controller sees it being deleted; an entry whose pod
 * was not deleted within {@link #DELETION_TIMEOUT} is dropped, since that deletion will not come.
 */
record DisruptedPods(Map<String, String> kept, List<String> notDeleted, Instant recheckAt) {
    static final Duration DELETION_TIMEOUT = Duration.ofMinutes(2);

    static DisruptedPods prune(Map<String, String> recorded, List<Pod> pods, Instant now) {
        Map<String, String> kept = new TreeMap<>();
        List<String> notDeleted = new ArrayList<>();
        Instant recheck = null;
        if (recorded == null || recorded.isEmpty()) {
            return new DisruptedPods(kept, notDeleted, null);
        }
        for (Pod pod : pods) {
            String name = pod.getMetadata().getName();
            String when = recorded.get(name);
            if (when == null || PodSelection.isDeleting(pod)) {
                continue;
            }
            Instant deadline = parse(when).plus(DELETION_TIMEOUT);
            if (!deadline.isAfter(now)) {
                notDeleted.add(name);
                continue;
            }
            kept.put(name, when);
            if (recheck == null || deadline.isBefore(recheck)) {
                recheck = deadline;
            }
        }
        return new DisruptedPods(kept, notDeleted, recheck);
    }

    /** A time the controller cannot read counts as long past, so that the entry goes away. */
    private static Instant parse(String time) {
        try {
            return Instant.parse(time);
        } catch (DateTimeParseException e) {
            return Instant.EPOCH;
        }
    }

    boolean contains(String podName) {
        return kept.containsKey(podName);
    }
}
