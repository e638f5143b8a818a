package io.kedge.controllers.lifecycle;

import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Remembers the slices this controller just wrote, so that a reconcile does not act on an informer
 * cache that has not seen those writes yet: acting then would create duplicate slices or undo the
 * writes. A service's cache is stale while a written slice is missing from it, or older there than
 * written, or a deleted slice is still in it.
 */
final class SliceTracker {
    private static final long DELETED = -1;
    private final Map<String, Map<String, Long>> expected = new ConcurrentHashMap<>();

    void written(String serviceKey, EndpointSlice slice) {
        expected.computeIfAbsent(serviceKey, k -> new ConcurrentHashMap<>())
                .put(slice.getMetadata().getName(), generation(slice));
    }

    void deleted(String serviceKey, String sliceName) {
        expected.computeIfAbsent(serviceKey, k -> new ConcurrentHashMap<>()).put(sliceName, DELETED);
    }

    void forget(String serviceKey) {
        expected.remove(serviceKey);
    }

    boolean stale(String serviceKey, List<EndpointSlice> cached) {
        Map<String, Long> want = expected.get(serviceKey);
        if (want == null || want.isEmpty()) {
            return false;
        }
        Map<String, Long> seen = new HashMap<>();
        for (EndpointSlice s : cached) {
            seen.put(s.getMetadata().getName(), generation(s));
        }
        for (Map.Entry<String, Long> e : want.entrySet()) {
            Long have = seen.get(e.getKey());
            boolean caughtUp = e.getValue() == DELETED ? have == null : have != null && have >= e.getValue();
            if (!caughtUp) {
                return true;
            }
        }
        expected.remove(serviceKey, want);
        return false;
    }

    private static long generation(EndpointSlice s) {
        Long g = s.getMetadata().getGeneration();
        return g == null ? 0 : g;
    }
}
