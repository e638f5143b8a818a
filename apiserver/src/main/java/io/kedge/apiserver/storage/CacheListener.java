package io.kedge.apiserver.storage;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kedge.api.ApiException;
import io.kedge.api.Json;
import java.util.function.Consumer;

/**
 * An in-process watcher: the server's own reactions to changes (serving a new CRD), fed in
 * revision order like any client's watch.
 */
public final class CacheListener implements Watcher {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(CacheListener.class);
    private static final WatchFilter ALL = new WatchFilter(null, null, null);
    private final Consumer<ObjectNode> onUpsert;
    private final Consumer<ObjectNode> onDelete;

    public CacheListener(Consumer<ObjectNode> onUpsert, Consumer<ObjectNode> onDelete) {
        this.onUpsert = onUpsert;
        this.onDelete = onDelete;
    }

    @Override
    public boolean send(CacheEvent event, boolean matchesNow, boolean matchedBefore) {
        ObjectNode obj = Json.trusted(event.object().json());
        try {
            if (event.type() == CacheEvent.Type.DELETED) {
                onDelete.accept(obj);
            } else {
                onUpsert.accept(obj);
            }
        } catch (RuntimeException e) {
            LOG.error("reacting to {} of {} failed", event.type(), event.object().key(), e);
        }
        return true;
    }

    @Override
    public void bookmark(long revision, boolean initialEventsEnd) {}

    @Override
    public void fail(ApiException error) {}

    @Override
    public void flush() {}

    @Override
    public WatchFilter filter() {
        return ALL;
    }
}
