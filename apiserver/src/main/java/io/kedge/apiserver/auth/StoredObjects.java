package io.kedge.apiserver.auth;

import com.fasterxml.jackson.databind.JsonNode;
import io.kedge.api.Json;
import io.kedge.apiserver.registry.ResourceType;
import io.kedge.apiserver.registry.ResourceTypes;
import io.kedge.apiserver.storage.CacheHub;
import io.kedge.apiserver.storage.CachedObject;
import io.kedge.store.KvStore;
import java.util.Optional;

/**
 * Objects from the watch cache, and from the store when the cache has not seen them yet: a
 * service account created a moment ago must not make its first token fail.
 */
public final class StoredObjects implements ObjectLookup {
    private final ResourceTypes types;
    private final CacheHub hub;
    private final KvStore store;

    public StoredObjects(ResourceTypes types, CacheHub hub, KvStore store) {
        this.types = types;
        this.hub = hub;
        this.store = store;
    }

    @Override
    public Optional<JsonNode> find(String resource, String namespace, String name) {
        ResourceType t = types.find("", "v1", resource)
                .orElseThrow(() -> new IllegalArgumentException("no core/v1 resource " + resource));
        CachedObject cached = hub.cacheFor(t).get(t.key(namespace, name));
        if (cached != null) {
            return Optional.of(Json.trusted(cached.json()));
        }
        return store.get(t.key(namespace, name)).map(kv -> Json.trusted(kv.value()));
    }
}
