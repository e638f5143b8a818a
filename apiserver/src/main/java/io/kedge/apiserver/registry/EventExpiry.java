package io.kedge.apiserver.registry;

import com.fasterxml.jackson.databind.JsonNode;
import io.kedge.api.ApiException;
import io.kedge.api.EventTimes;
import io.kedge.api.Json;
import io.kedge.apiserver.storage.CachedObject;
import io.kedge.apiserver.storage.CacheHub;
import io.kedge.apiserver.storage.ResourceCache;
import io.kedge.apiserver.storage.WatchFilter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes Events a TTL after they last changed, as kube-apiserver does with {@code --event-ttl}
 * (there by a lease on each write). Every kubelet and controller posts them, so without an end the
 * store would grow with the cluster's age. An event's last change is {@link EventTimes#lastChange};
 * a deletion names the version it judged, so an event repeated meanwhile is kept.
 */
public final class EventExpiry implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EventExpiry.class);
    private static final WatchFilter ALL = new WatchFilter(null, null, null);

    private final GenericRegistry registry;
    private final CacheHub caches;
    private final List<ResourceType> eventTypes;
    private final Duration ttl;
    private final Clock clock;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "event-expiry");
        t.setDaemon(true);
        return t;
    });

    public EventExpiry(GenericRegistry registry, CacheHub caches, List<ResourceType> eventTypes, Duration ttl, Clock clock) {
        this.registry = registry;
        this.caches = caches;
        this.eventTypes = List.copyOf(eventTypes);
        this.ttl = ttl;
        this.clock = clock;
    }

    /** Sweeps now and then every tenth of the TTL (at least a second, at most a minute). */
    public EventExpiry start() {
        long every = Math.max(1000, Math.min(60_000, ttl.toMillis() / 10));
        timer.scheduleWithFixedDelay(this::sweepLogged, 0, every, TimeUnit.MILLISECONDS);
        return this;
    }

    private void sweepLogged() {
        try {
            int deleted = sweep();
            if (deleted > 0) {
                LOG.info("deleted {} events unchanged for {}", deleted, ttl);
            }
        } catch (RuntimeException e) {
            LOG.warn("event expiry sweep failed, trying again later: {}", e.toString());
        }
    }

    /** Deletes every expired event; returns how many. */
    public int sweep() {
        Instant cutoff = clock.instant().minus(ttl);
        int deleted = 0;
        for (ResourceType type : eventTypes) {
            ResourceCache cache = caches.cacheFor(type);
            for (CachedObject o : cache.list(type.keyPrefix(), null, 0, ALL).items()) {
                JsonNode event = Json.parse(o.json(), false);
                Optional<Instant> changed = EventTimes.lastChange(event);
                if (changed.isEmpty() || !changed.get().isBefore(cutoff)) {
                    continue;
                }
                try {
                    registry.delete(type, o.namespace(), o.name(), new DeleteOptions(0L, null, null,
                            event.path("metadata").path("resourceVersion").asText(null), false));
                    deleted++;
                } catch (ApiException gone) {
                    // deleted or repeated meanwhile (404, 409): nothing to do now
                }
            }
        }
        return deleted;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
