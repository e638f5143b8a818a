package io.kedge.apiserver.authz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kedge.api.ApiException;
import io.kedge.api.Json;
import io.kedge.api.Meta;
import io.kedge.api.selector.LabelSelector;
import io.kedge.apiserver.registry.GenericRegistry;
import io.kedge.apiserver.registry.ResourceType;
import io.kedge.apiserver.registry.WriteOptions;
import io.kedge.apiserver.storage.CacheHub;
import io.kedge.apiserver.storage.CacheListener;
import io.kedge.apiserver.storage.CachedObject;
import io.kedge.apiserver.storage.ResourceCache;
import io.kedge.apiserver.storage.WatchFilter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ClusterRole aggregation, in the server: a ClusterRole with an {@code aggregationRule} gets as its
 * rules those of every other ClusterRole its selectors match (in name order, without duplicates),
 * written back to the object so that clients see them. Any ClusterRole change starts one pass over
 * all aggregated roles; changes that arrive during a pass start one more.
 */
public final class ClusterRoleAggregator implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterRoleAggregator.class);

    private final GenericRegistry registry;
    private final ResourceType clusterRoles;
    private final WriteOptions writer;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "clusterrole-aggregation");
        t.setDaemon(true);
        return t;
    });
    private final AtomicBoolean queued = new AtomicBoolean();
    private ResourceCache cache;

    public ClusterRoleAggregator(GenericRegistry registry, ResourceType clusterRoles, WriteOptions writer) {
        this.registry = registry;
        this.clusterRoles = clusterRoles;
        this.writer = writer;
    }

    public void follow(CacheHub hub) {
        cache = hub.cacheFor(clusterRoles);
        cache.watch(new CacheListener(o -> schedule(), o -> schedule()), -1, hub.revision(), false);
    }

    private void schedule() {
        if (queued.compareAndSet(false, true)) {
            worker.execute(() -> {
                queued.set(false);
                try {
                    reconcile(current());
                } catch (RuntimeException e) {
                    LOG.warn("aggregating cluster roles failed; the next change retries", e);
                }
            });
        }
    }

    private List<ObjectNode> current() {
        List<ObjectNode> out = new ArrayList<>();
        for (CachedObject o : cache.list(clusterRoles.keyPrefix(), null, 0, new WatchFilter(null, null, null)).items()) {
            out.add(Json.trusted(o.json()));
        }
        return out;
    }

    void reconcile(List<ObjectNode> all) {
        for (ObjectNode role : all) {
            if (!role.hasNonNull("aggregationRule")) {
                continue;
            }
            ArrayNode wanted = aggregatedRules(role, all);
            if (wanted.equals(role.path("rules"))) {
                continue;
            }
            try {
                registry.update(clusterRoles, null, Meta.name(role), null, old -> {
                    old.set("rules", wanted);
                    return old;
                }, null, writer);
            } catch (ApiException e) {
                LOG.warn("could not write the aggregated rules of cluster role {}: {}", Meta.name(role), e.getMessage());
            }
        }
    }

    /** The rules {@code role} aggregates from {@code all}. */
    public static ArrayNode aggregatedRules(JsonNode role, List<ObjectNode> all) {
        List<LabelSelector> selectors = new ArrayList<>();
        role.path("aggregationRule").path("clusterRoleSelectors").forEach(s -> selectors.add(LabelSelector.fromJson(s)));
        List<ObjectNode> sorted = new ArrayList<>(all);
        sorted.sort(Comparator.comparing(Meta::name));
        Set<JsonNode> rules = new LinkedHashSet<>();
        for (ObjectNode other : sorted) {
            if (Meta.name(other).equals(Meta.name(role))) {
                continue;
            }
            var labels = Meta.labels(other);
            if (selectors.stream().anyMatch(s -> s.matches(labels))) {
                other.path("rules").forEach(rules::add);
            }
        }
        ArrayNode out = Json.MAPPER.createArrayNode();
        rules.forEach(out::add);
        return out;
    }

    @Override
    public void close() {
        worker.shutdownNow();
    }
}
