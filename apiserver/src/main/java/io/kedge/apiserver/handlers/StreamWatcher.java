package io.kedge.apiserver.handlers;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kedge.api.ApiException;
import io.kedge.api.Json;
import io.kedge.api.table.TablePrinter;
import io.kedge.apiserver.http.StreamSink;
import io.kedge.apiserver.registry.ResourceType;
import io.kedge.apiserver.storage.CacheEvent;
import io.kedge.apiserver.storage.WatchFilter;
import io.kedge.apiserver.storage.Watcher;
import java.time.Clock;
import java.util.List;

/**
 * A watch on its way to one client. Plain JSON watchers share the event's bytes; Table watchers
 * (kubectl get -w) get one-row Tables, the first with column definitions.
 */
final class StreamWatcher implements Watcher {
    private final ResourceType type;
    private final WatchFilter filter;
    private final StreamSink sink;
    private final boolean bookmarks;
    private final boolean table;
    private final String includeObject;
    private final Clock clock;
    private boolean columnsSent;
    private boolean replaying = true;

    StreamWatcher(ResourceType type, WatchFilter filter, StreamSink sink, boolean bookmarks, boolean table,
                  String includeObject, Clock clock) {
        this.type = type;
        this.filter = filter;
        this.sink = sink;
        this.bookmarks = bookmarks;
        this.table = table;
        this.includeObject = includeObject;
        this.clock = clock;
    }

    @Override
    public synchronized boolean send(CacheEvent event, boolean matchesNow, boolean matchedBefore) {
        String kind = event.type().name();
        if (event.type() != CacheEvent.Type.DELETED) {
            kind = matchesNow && matchedBefore ? "MODIFIED" : matchesNow ? "ADDED" : "DELETED";
        }
        byte[] line;
        if (table) {
            ObjectNode obj = Json.trusted(event.object().json());
            ObjectNode t = TableWriter.table(printer(), List.of(obj), io.kedge.api.Meta.resourceVersion(obj), null,
                    !columnsSent, includeObject, clock.instant());
            columnsSent = true;
            line = CacheEvent.encode(kind, Json.bytes(t));
        } else {
            line = kind.equals(event.type().name()) ? event.line() : CacheEvent.encode(kind, event.object().json());
        }
        return sink.write(line, !replaying);
    }

    private TablePrinter printer() {
        return type.strategy().printer();
    }

    @Override
    public synchronized void bookmark(long revision, boolean initialEventsEnd) {
        if (!bookmarks && !initialEventsEnd) {
            return;
        }
        ObjectNode obj = Json.object();
        obj.put("kind", table ? "Table" : type.kind()).put("apiVersion", table ? "meta.k8s.io/v1" : type.apiVersion());
        ObjectNode meta = obj.putObject("metadata").put("resourceVersion", Long.toString(revision));
        if (initialEventsEnd) {
            meta.putObject("annotations").put("k8s.io/initial-events-end", "true");
        }
        sink.write(CacheEvent.encode("BOOKMARK", Json.bytes(obj)), !replaying);
    }

    @Override
    public synchronized void fail(ApiException error) {
        sink.write(CacheEvent.encode("ERROR", Json.bytes(error.toStatus())), true);
        sink.close();
    }

    @Override
    public synchronized void flush() {
        replaying = false;
        sink.flush();
    }

    @Override
    public WatchFilter filter() {
        return filter;
    }
}
