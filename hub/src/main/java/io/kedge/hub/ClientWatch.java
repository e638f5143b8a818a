package io.kedge.hub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kedge.api.Json;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;

/**
 * One local client's watch. It starts relaying the cloud's stream ({@link Mode#UPSTREAM}); when
 * the cloud is lost it stays open and carries the hub's local changes instead ({@link Mode#LOCAL}),
 * until the cloud is back and it is closed, so that the client lists again from the cloud.
 */
final class ClientWatch {
    enum Mode { UPSTREAM, LOCAL }

    private final Exchange exchange;
    private final ListShape shape;
    private final String client;
    private final UnaryOperator<ObjectNode> view;
    private final AtomicBoolean ended = new AtomicBoolean();
    /** Bytes handed to the connection and not yet written to the socket: how far the client lags behind. */
    private final AtomicLong backlog = new AtomicLong();
    private volatile Mode mode;
    private volatile Flow.Subscription upstream;

    ClientWatch(Exchange exchange, ListShape shape, String client, Mode mode) {
        this(exchange, shape, client, mode, null);
    }

    /** @param view how each object is served to this client (EndpointSlices through the node's service topology); null: as it is */
    ClientWatch(Exchange exchange, ListShape shape, String client, Mode mode, UnaryOperator<ObjectNode> view) {
        this.view = view;
        this.exchange = exchange;
        this.shape = shape;
        this.client = client;
        this.mode = mode;
    }

    ListShape shape() {
        return shape;
    }

    String client() {
        return client;
    }

    Mode mode() {
        return mode;
    }

    Exchange exchange() {
        return exchange;
    }

    boolean ended() {
        return ended.get() || !exchange.open();
    }

    /**
     * What feeds this watch from the cloud: the cloud stream's own subscription, or its place in a
     * {@link SharedWatch}; cancelled when the watch ends or goes local.
     */
    void upstream(Flow.Subscription subscription) {
        this.upstream = subscription;
        if (ended.get()) {
            subscription.cancel(); // the client left before its watch was fed: nothing is to feed it
        }
    }

    /** Whether this watch relays a cloud stream opened for it alone (not a shared one). */
    boolean relaysOwnUpstream() {
        Flow.Subscription s = upstream;
        return mode == Mode.UPSTREAM && !ended() && s != null && !(s instanceof SharedWatch.Member);
    }

    /** Bytes sent to this client and not yet taken by it. */
    long backlog() {
        return backlog.get();
    }

    /** Stops relaying the cloud (its connection may hang on a cut link) and carries local changes from now on. */
    synchronized void goLocal() {
        mode = Mode.LOCAL;
        Flow.Subscription s = upstream;
        upstream = null;
        if (s != null) {
            s.cancel();
        }
    }

    /** A local change, sent when it belongs to this watch's shape. */
    void local(String type, ObjectNode obj) {
        if (mode == Mode.LOCAL && !ended() && ObjectFilter.matches(shape, obj)) {
            send(type, obj);
        }
    }

    /**
     * The object again, as the client is now to see it (its served form changed though the object did not),
     * whatever the mode; true when sent.
     */
    boolean refresh(ObjectNode obj) {
        if (ended() || !exchange.answered() || !ObjectFilter.matches(shape, obj)) {
            return false;
        }
        send("MODIFIED", obj);
        return true;
    }

    io.netty.channel.ChannelFuture send(String type, JsonNode obj) {
        return line(eventLine(type, obj));
    }

    /** The event as this client is served it, one line of JSON without its newline. */
    String eventLine(String type, JsonNode obj) {
        ObjectNode event = Json.object();
        event.put("type", type);
        event.set("object", view != null && obj instanceof ObjectNode o ? view.apply(o) : obj);
        return Json.string(event);
    }

    /** Whether objects are served changed, so that the cloud's events must be rewritten rather than passed on. */
    boolean viewed() {
        return view != null;
    }

    io.netty.channel.ChannelFuture line(String line) {
        byte[] bytes = (line + "\n").getBytes(StandardCharsets.UTF_8);
        backlog.addAndGet(bytes.length);
        io.netty.channel.ChannelFuture written = exchange.chunk(bytes);
        written.addListener(f -> backlog.addAndGet(-bytes.length));
        return written;
    }

    void end() {
        if (ended.compareAndSet(false, true)) {
            Flow.Subscription s = upstream;
            if (s != null) {
                s.cancel();
            }
            if (exchange.open()) {
                exchange.end();
            }
        }
    }
}
