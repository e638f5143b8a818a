package io.kedge.kubelet.events;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectReference;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Decides what becomes of a recorded event, with upstream's rules. A repeat of an event (same
 * object, type, reason, message and source) seen within 10 minutes raises the count and
 * lastTimestamp of the event it repeats instead of making a new one; once an object has had 10
 * different messages for the same reason in that time, they are combined into one event. Then
 * the object's rate limit may hold the write back; the count it raised is carried by the next
 * write that passes. Only the sender thread uses it.
 */
final class EventCorrelator {
    static final Duration WINDOW = Duration.ofMinutes(10);
    static final int MAX_SIMILAR_MESSAGES = 10;
    static final String COMBINED_PREFIX = "(combined from similar events): ";
    private static final int MAX_KEYS = 4096;

    private final EventNames names;
    private final ObjectRateLimits limits;
    private final Map<String, Observation> observed = lru();
    private final Map<String, Similar> similar = lru();
    /** Written by the one thread that sends, read by whoever scrapes the metrics. */
    private volatile long rateLimited;

    /** A write to make: a new event, or a patch of the count, lastTimestamp and message of one posted before. */
    record Delivery(Event event, boolean isNew) {
    }

    private record Observation(String name, int count, String firstTimestamp, Instant lastSeen) {
    }

    private record Similar(Set<String> messages, Instant since) {
    }

    EventCorrelator(EventNames names, ObjectRateLimits limits) {
        this.names = names;
        this.limits = limits;
    }

    /** @return the write to make, or empty when the object's rate limit holds it back */
    Optional<Delivery> correlate(Event recorded) {
        // the time it was recorded at, not now: it may have waited in the queue
        Instant now = Instant.parse(recorded.getLastTimestamp());
        Event event = combineSimilar(recorded, now);
        String key = repeatKey(event);
        Observation last = observed.get(key);
        Delivery delivery;
        if (last != null && Duration.between(last.lastSeen(), now).compareTo(WINDOW) <= 0) {
            Observation next = new Observation(last.name(), last.count() + 1, last.firstTimestamp(), now);
            observed.put(key, next);
            delivery = new Delivery(new EventBuilder(event).editMetadata().withName(next.name()).endMetadata()
                    .withCount(next.count()).withFirstTimestamp(next.firstTimestamp()).build(), false);
        } else {
            String name = names.next(event.getInvolvedObject().getName());
            observed.put(key, new Observation(name, 1, event.getFirstTimestamp(), now));
            delivery = new Delivery(new EventBuilder(event).editMetadata().withName(name).endMetadata().withCount(1).build(), true);
        }
        if (!limits.tryTake(objectKey(event), now)) {
            rateLimited++;
            return Optional.empty();
        }
        return Optional.of(delivery);
    }

    /** How many writes the rate limits held back. */
    long rateLimited() {
        return rateLimited;
    }

    private Event combineSimilar(Event event, Instant now) {
        String key = similarKey(event);
        Similar seen = similar.get(key);
        if (seen == null || Duration.between(seen.since(), now).compareTo(WINDOW) > 0) {
            seen = new Similar(new HashSet<>(), now);
            similar.put(key, seen);
        }
        seen.messages().add(event.getMessage());
        if (seen.messages().size() < MAX_SIMILAR_MESSAGES) {
            return event;
        }
        return new EventBuilder(event).withMessage(COMBINED_PREFIX + event.getMessage()).build();
    }

    private static String repeatKey(Event e) {
        String message = e.getMessage() != null && e.getMessage().startsWith(COMBINED_PREFIX) ? "" : e.getMessage();
        return similarKey(e) + "\u0000" + message;
    }

    private static String similarKey(Event e) {
        return objectKey(e) + "\u0000" + e.getInvolvedObject().getFieldPath() + "\u0000" + e.getType() + "\u0000" + e.getReason();
    }

    private static String objectKey(Event e) {
        ObjectReference o = e.getInvolvedObject();
        return String.join("\u0000", e.getSource().getComponent(), e.getSource().getHost(), o.getKind(), o.getNamespace(),
                o.getName(), o.getUid(), o.getApiVersion());
    }

    private static <V> Map<String, V> lru() {
        return new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
                return size() > MAX_KEYS;
            }
        };
    }
}
