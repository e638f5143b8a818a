package io.kedge.hub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kedge.api.ApiException;
import io.kedge.api.Json;
import io.kedge.api.Meta;
import io.netty.handler.codec.http.QueryStringEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Flow;
import java.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One watch of the cloud serving every local watch with the same {@link WatchKey}. It is opened for
 * one client (its owner) from that client's resourceVersion; later clients join it when it can serve
 * them exactly, so that none misses or repeats an event:
 * <ul>
 * <li>a client asking for {@code resourceVersion} "" or "0" (the current state, then changes) joins a
 *     watch that itself started so: it keeps the shape's current objects, sent to the joiner as ADDED;</li>
 * <li>a client asking for a version N joins when every event after N is still held: the watch keeps the
 *     last {@value #RING} events after the version it started from (or after its first bookmark), sends
 *     the joiner those newer than N, and then the live ones newer than N.</li>
 * </ul>
 * Any other client gets a watch of its own, where the cloud answers as it would (410 for a version too old).
 * Each client's events are written in the stream's order; a client whose unread bytes pass the limit is
 * dropped with a 410 ERROR event (it lists again) rather than slowing the others. When the last client
 * leaves, the cloud's watch is closed after a short linger, within which a returning client still joins.
 */
final class SharedWatch {
    private static final Logger LOG = LoggerFactory.getLogger(SharedWatch.class);
    static final int RING = 256;

    private final WatchKey key;
    private final HubStore store;
    private final SharedWatches registry;
    private final ClientWatch owner;
    private final boolean keepsState;
    /** The shape's current objects by namespace/name, kept only by a watch that started from the current state. */
    private final Map<String, ObjectNode> state = new LinkedHashMap<>();
    private final ArrayDeque<Event> ring = new ArrayDeque<>();
    private final List<Member> members = new ArrayList<>();
    /** Every event after this version is in the ring; -1 while that is not known. */
    private long floor;
    private Map<String, List<String>> head;
    private boolean joinable;
    private boolean closed;
    private Flow.Subscription upstream;
    private ScheduledFuture<?> linger;

    /** An event as the cloud sent it; the ring keeps the line alone, parsed again only for a client served a changed view. */
    private record Event(long rv, String type, String line) {}

    SharedWatch(WatchKey key, HubStore store, SharedWatches registry, ClientWatch owner, String rv, boolean bookmarks) {
        this.key = key;
        this.store = store;
        this.registry = registry;
        this.owner = owner;
        this.keepsState = currentState(rv);
        this.floor = keepsState ? -1 : version(rv);
        Member m = new Member(owner, bookmarks, -1);
        members.add(m);
        owner.upstream(m);
        registry.opened(this);
    }

    WatchKey key() {
        return key;
    }

    /** The cloud request's path and query: the owner's, with bookmarks always asked for and no timeout (each client has its own). */
    static String upstreamUri(ApiPath path) {
        QueryStringEncoder out = new QueryStringEncoder(path.path());
        for (Map.Entry<String, List<String>> p : path.query().entrySet()) {
            if (!p.getKey().equals("timeoutSeconds") && !p.getKey().equals("allowWatchBookmarks")) {
                p.getValue().forEach(v -> out.addParam(p.getKey(), v));
            }
        }
        out.addParam("allowWatchBookmarks", "true");
        return out.toString();
    }

    /** Reads the cloud's answer: a 200 stream is shared from then on; any other answer goes to the owner alone. */
    HttpResponse.BodyHandler<Void> handler(Runnable live) {
        return info -> {
            if (info.statusCode() != 200) {
                owner.exchange().startStream(info.statusCode(), info.headers().map());
                return HttpResponse.BodySubscribers.fromLineSubscriber(new Relay(), s -> null, StandardCharsets.UTF_8, "\n");
            }
            synchronized (this) {
                head = info.headers().map();
                joinable = !closed;
                owner.exchange().startStream(200, head);
                if (members.isEmpty() && !closed) {
                    lingerThenClose();
                }
            }
            live.run();
            return HttpResponse.BodySubscribers.fromLineSubscriber(new Events(), s -> null, StandardCharsets.UTF_8, "\n");
        };
    }

    /** Adds a client when this watch can serve it from its resourceVersion; false, with nothing sent, when it cannot. */
    synchronized boolean join(ClientWatch watch, String rv, boolean bookmarks) {
        if (!joinable || closed) {
            return false;
        }
        long after;
        List<String> replay = new ArrayList<>();
        if (currentState(rv)) {
            if (!keepsState) {
                return false;
            }
            after = -1;
            state.values().forEach(obj -> replay.add(watch.eventLine("ADDED", obj)));
        } else {
            after = version(rv);
            if (after < 0 || floor < 0 || after < floor) {
                return false;
            }
            for (Event e : ring) {
                if (e.rv() > after) {
                    replay.add(watch.viewed() ? watch.eventLine(e.type(), Json.parse(e.line().getBytes(StandardCharsets.UTF_8),
                            false).path("object")) : e.line());
                }
            }
        }
        if (linger != null) {
            linger.cancel(false);
            linger = null;
        }
        watch.exchange().startStream(200, head);
        replay.forEach(watch::line);
        Member m = new Member(watch, bookmarks, after);
        members.add(m);
        watch.upstream(m);
        return true;
    }

    /** The clients served by this watch that did not open it. */
    synchronized int sharedClients() {
        int n = 0;
        for (Member m : members) {
            if (m.watch != owner) {
                n++;
            }
        }
        return n;
    }

    /** The cloud's stream ended: nobody joins any more; the clients still served are returned, for the caller to end. */
    List<ClientWatch> ended() {
        List<ClientWatch> served = new ArrayList<>();
        synchronized (this) {
            closed = true;
            joinable = false;
            members.forEach(m -> served.add(m.watch));
            members.clear();
            if (linger != null) {
                linger.cancel(false);
            }
        }
        registry.closed(this);
        return served;
    }

    private synchronized void leave(Member m) {
        if (!members.remove(m) || !members.isEmpty() || closed) {
            return;
        }
        if (joinable) {
            lingerThenClose();
        } else {
            close();
        }
    }

    private void lingerThenClose() {
        if (linger == null) {
            linger = registry.schedule(() -> {
                synchronized (this) {
                    linger = null;
                    if (members.isEmpty()) {
                        close();
                    }
                }
            });
        }
    }

    private synchronized void close() {
        closed = true;
        joinable = false;
        registry.closed(this);
        if (upstream != null) {
            upstream.cancel();
        }
        LOG.debug("closed the cloud's watch of {}: its last client left", key.shape().key());
    }

    private synchronized void accept(String line) {
        if (closed || line.isBlank()) {
            return;
        }
        String type;
        ObjectNode obj;
        try {
            JsonNode event = Json.parse(line.getBytes(StandardCharsets.UTF_8), false);
            type = event.path("type").asText();
            obj = event.path("object") instanceof ObjectNode o ? o : null;
        } catch (RuntimeException e) {
            LOG.debug("watch line not understood, passed on: {}", e.toString());
            type = null;
            obj = null;
        }
        if (obj == null) {
            for (Member m : List.copyOf(members)) {
                deliver(m, line);
            }
            return;
        }
        record(type, obj);
        long rv = version(Meta.resourceVersion(obj));
        switch (type) {
            case "BOOKMARK" -> {
                if (floor < 0 && rv >= 0) {
                    // every event up to the bookmark has come: from now on the ring holds all after it
                    floor = rv;
                    ring.clear();
                }
                for (Member m : List.copyOf(members)) {
                    if (m.bookmarks && rv > m.after) {
                        deliver(m, line);
                    }
                }
            }
            case "ERROR" -> {
                // the cloud ends the stream after this; nobody else joins it
                joinable = false;
                for (Member m : List.copyOf(members)) {
                    deliver(m, line);
                }
            }
            default -> {
                if (keepsState) {
                    String name = ObjectFilter.namespaceOf(obj) + "/" + Meta.name(obj);
                    if ("DELETED".equals(type)) {
                        state.remove(name);
                    } else {
                        state.put(name, obj);
                    }
                }
                if (rv < 0) {
                    floor = -1; // a version that cannot be compared: no client can be placed in this stream any more
                    ring.clear();
                } else if (floor >= 0) {
                    ring.addLast(new Event(rv, type, line));
                    if (ring.size() > RING) {
                        floor = ring.removeFirst().rv();
                    }
                }
                String served = null;
                for (Member m : List.copyOf(members)) {
                    if (rv < 0 || rv > m.after) {
                        served = served != null ? served : lineFor(m.watch, type, obj, line);
                        deliver(m, served);
                    }
                }
            }
        }
    }

    /** Each client's cache entry of the shape takes the event, as it would from a watch of its own. */
    private void record(String type, ObjectNode obj) {
        if (!ApiHandler.cacheableKind(Meta.text(obj, "kind"))) {
            return;
        }
        List<String> clients = members.stream().filter(m -> m.watch.mode() == ClientWatch.Mode.UPSTREAM)
                .map(m -> m.watch.client()).distinct().toList();
        try {
            store.recordWatchEvent(clients, key.shape(), type, obj);
        } catch (RuntimeException e) {
            LOG.debug("watch event not cached: {}", e.toString());
        }
    }

    /** The cloud's line as it is, or rewritten when the client is served objects changed (the node's view of EndpointSlices). */
    private static String lineFor(ClientWatch watch, String type, ObjectNode obj, String line) {
        return watch.viewed() ? watch.eventLine(type, obj) : line;
    }

    private void deliver(Member m, String line) {
        if (m.watch.ended() || m.watch.mode() != ClientWatch.Mode.UPSTREAM) {
            m.cancel(); // it is leaving already; make sure it does not hold the stream open
            return;
        }
        long behind = m.watch.backlog();
        if (behind > registry.backlogLimit()) {
            members.remove(m);
            LOG.info("a watch of {} by {} was dropped: the client fell {} bytes behind the shared stream", key.shape().key(),
                    m.watch.client(), behind);
            m.watch.line(Json.string(errorEvent(behind)));
            m.watch.end();
            if (members.isEmpty()) {
                lingerThenClose();
            }
            return;
        }
        m.watch.line(line);
    }

    private static ObjectNode errorEvent(long behind) {
        ObjectNode event = Json.object();
        event.put("type", "ERROR");
        event.set("object", ApiException.expired("the hub dropped this watch: the client fell " + behind
                + " bytes behind the events; list and watch again").toStatus());
        return event;
    }

    private static boolean currentState(String rv) {
        return rv == null || rv.isEmpty() || rv.equals("0");
    }

    private static long version(String rv) {
        try {
            long v = Long.parseLong(rv);
            return v >= 0 ? v : -1;
        } catch (NumberFormatException | NullPointerException e) {
            return -1;
        }
    }

    /** One client's place in the shared stream; cancelling it (the client ended or went local) leaves the stream. */
    final class Member implements Flow.Subscription {
        private final ClientWatch watch;
        private final boolean bookmarks;
        /** Events at or below this version are not sent: the client has them (-1: it gets all). */
        private final long after;

        private Member(ClientWatch watch, boolean bookmarks, long after) {
            this.watch = watch;
            this.bookmarks = bookmarks;
            this.after = after;
        }

        @Override
        public void request(long n) {
            // the shared stream is read at the cloud's pace; each client's lag is bounded instead
        }

        @Override
        public void cancel() {
            leave(this);
        }
    }

    /** The shared stream, line by line. */
    private final class Events implements Flow.Subscriber<String> {
        private Flow.Subscription subscription;

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            synchronized (SharedWatch.this) {
                upstream = s;
                if (closed) {
                    s.cancel();
                    return;
                }
            }
            s.request(1);
        }

        @Override
        public void onNext(String line) {
            accept(line);
            subscription.request(1);
        }

        @Override
        public void onError(Throwable throwable) {
            LOG.debug("shared upstream watch of {} ended: {}", key.shape().key(), throwable.toString());
        }

        @Override
        public void onComplete() {
            // the future returned by the cloud client ends the clients' streams
        }
    }

    /** A refusal from the cloud (410, 403, ...), passed to the owner as it comes. */
    private final class Relay implements Flow.Subscriber<String> {
        private Flow.Subscription subscription;

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            s.request(1);
        }

        @Override
        public void onNext(String line) {
            owner.line(line).addListener(f -> subscription.request(1));
        }

        @Override
        public void onError(Throwable throwable) {
            LOG.debug("upstream answer ended: {}", throwable.toString());
        }

        @Override
        public void onComplete() {
            // the future returned by the cloud client ends the owner's stream
        }
    }
}
