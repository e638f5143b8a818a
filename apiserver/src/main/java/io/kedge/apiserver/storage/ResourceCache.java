package io.kedge.apiserver.storage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kedge.api.ApiException;
import io.kedge.api.Json;
import io.kedge.api.Meta;
import io.kedge.apiserver.registry.ResourceType;
import io.kedge.store.KeyValue;
import io.kedge.store.WatchEvent;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * Every object of one resource, plus a window of recent events. LIST and WATCH are served from
 * here; the store is read only to load and to check preconditions.
 */
public final class ResourceCache {
    private volatile ResourceType type;
    private final ConcurrentSkipListMap<String, CachedObject> objects = new ConcurrentSkipListMap<>();
    private final Deque<CacheEvent> history = new ArrayDeque<>();
    private final List<Watcher> watchers = new CopyOnWriteArrayList<>();
    private final List<WatchEvent> pending = new ArrayList<>();
    private final int maxHistory;
    private boolean loaded;
    /** Watches from at or above this revision can be served from {@link #history}. */
    private long floor;

    ResourceCache(ResourceType type, int maxHistory) {
        this.type = type;
        this.maxHistory = maxHistory;
    }

    public ResourceType type() {
        return type;
    }

    /** A CRD update can change printer columns or validation without reloading objects. */
    public void updateType(ResourceType t) {
        this.type = t;
    }

    synchronized void load(List<KeyValue> kvs, long revision) {
        for (KeyValue kv : kvs) {
            CachedObject o = toCached(kv.key(), kv.value(), kv.modRevision());
            objects.put(o.key(), o);
        }
        floor = revision;
        loaded = true;
        for (WatchEvent e : pending) {
            if (e.revision() > revision) {
                apply(e);
            }
        }
        pending.clear();
    }

    synchronized void apply(WatchEvent e) {
        if (!loaded) {
            pending.add(e);
            return;
        }
        String key = e.kv().key();
        CachedObject prev = objects.get(key);
        CacheEvent event;
        if (e.type() == WatchEvent.Type.DELETE) {
            if (prev == null) {
                return;
            }
            objects.remove(key);
            byte[] last = e.prevKv() != null ? e.prevKv().value() : null;
            CachedObject gone = last != null ? toCached(key, last, e.revision()) : withRevision(prev, e.revision());
            event = new CacheEvent(CacheEvent.Type.DELETED, gone, prev, e.revision());
        } else {
            CachedObject now = toCached(key, e.kv().value(), e.revision());
            objects.put(key, now);
            event = new CacheEvent(prev == null ? CacheEvent.Type.ADDED : CacheEvent.Type.MODIFIED, now, prev, e.revision());
        }
        history.addLast(event);
        while (history.size() > maxHistory) {
            floor = history.removeFirst().revision();
        }
        for (Watcher w : watchers) {
            deliver(w, event);
        }
    }

    private void deliver(Watcher w, CacheEvent event) {
        WatchFilter f = w.filter();
        boolean now = event.type() != CacheEvent.Type.DELETED && f.matches(event.object());
        boolean before = event.type() == CacheEvent.Type.DELETED ? f.matches(event.object()) || f.matches(event.previous())
                : f.matches(event.previous());
        if ((now || before) && !w.send(event, now, before)) {
            watchers.remove(w);
        }
    }

    /** Drops events older than {@code keepNanos}; watches from before them get 410. */
    synchronized void trimHistory(long keepNanos) {
        long cutoff = System.nanoTime() - keepNanos;
        while (!history.isEmpty() && history.peekFirst().nanoTime() < cutoff) {
            floor = history.removeFirst().revision();
        }
    }

    public CachedObject get(String key) {
        return objects.get(key);
    }

    public int size() {
        return objects.size();
    }

    /** Objects under {@code prefix} after {@code startAfter}, at most {@code limit} (0 = all) matching. */
    public Page list(String prefix, String startAfter, int limit, WatchFilter filter) {
        NavigableMap<String, CachedObject> range = startAfter == null
                ? objects.subMap(prefix, true, prefix + Character.MAX_VALUE, false)
                : objects.subMap(startAfter, false, prefix + Character.MAX_VALUE, false);
        List<CachedObject> items = new ArrayList<>();
        Iterator<CachedObject> it = range.values().iterator();
        while (it.hasNext()) {
            CachedObject o = it.next();
            if (!filter.matches(o)) {
                continue;
            }
            if (limit > 0 && items.size() == limit) {
                return new Page(items, true);
            }
            items.add(o);
        }
        return new Page(items, false);
    }

    public record Page(List<CachedObject> items, boolean more) {}

    /**
     * Registers a watcher. {@code fromRevision < 0} first sends every current object as ADDED; otherwise
     * the events after {@code fromRevision} are replayed. Both happen under the lock that orders live events,
     * so the watcher sees no gap and no duplicate.
     *
     * @return false when the watch could not start (its revision is no longer in history)
     */
    public synchronized boolean watch(Watcher w, long fromRevision, long currentRevision, boolean initialEventsEnd) {
        if (fromRevision < 0) {
            for (CachedObject o : objects.values()) {
                if (w.filter().matches(o)) {
                    w.send(new CacheEvent(CacheEvent.Type.ADDED, o, null, o.revision()), true, false);
                }
            }
            if (initialEventsEnd) {
                w.bookmark(currentRevision, true);
            }
        } else {
            if (fromRevision < floor) {
                w.fail(ApiException.expired("too old resource version: " + fromRevision + " (" + floor + ")"));
                w.flush();
                return false;
            }
            for (CacheEvent e : history) {
                if (e.revision() > fromRevision) {
                    deliver(w, e);
                }
            }
        }
        w.flush();
        watchers.add(w);
        return true;
    }

    /** Bookmarks under the lock, so none overtakes an event already sent at a higher revision. */
    synchronized void bookmarkAll(long hubRevision) {
        long at = history.isEmpty() ? hubRevision : Math.max(hubRevision, history.peekLast().revision());
        for (Watcher w : watchers) {
            w.bookmark(at, false);
        }
    }

    public void unwatch(Watcher w) {
        watchers.remove(w);
    }

    List<Watcher> watchers() {
        return watchers;
    }

    public int watcherCount() {
        return watchers.size();
    }

    /** Lists and continue tokens older than this cannot be served consistently. */
    public synchronized long historyFloor() {
        return floor;
    }

    CachedObject toCached(String key, byte[] value, long revision) {
        ObjectNode obj = Json.trusted(value);
        Meta.metadata(obj).put("resourceVersion", Long.toString(revision));
        return cache(key, obj, revision, type);
    }

    static CachedObject cache(String key, ObjectNode obj, long revision, ResourceType type) {
        Map<String, Function<JsonNode, String>> selectable = type.selectableFields();
        Map<String, String> fields = selectable.isEmpty() ? Map.of() : new HashMap<>();
        selectable.forEach((f, fn) -> fields.put(f, fn.apply(obj)));
        return new CachedObject(key, Meta.namespace(obj), Meta.name(obj), Meta.labels(obj), fields,
                Json.bytes(obj), revision);
    }

    private CachedObject withRevision(CachedObject o, long revision) {
        return toCached(o.key(), o.json(), revision);
    }
}
