package io.kedge.hub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kedge.api.Json;
import io.kedge.api.Meta;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Flow;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A cloud watch stream relayed to one local client, line by line: each event goes to the client
 * and, while {@link #cacheable}, into the cache under the watch's client and shape. The next line
 * is read once this one is written, so a slow client slows the cloud's stream, not the hub's memory.
 */
final class UpstreamLines implements Flow.Subscriber<String> {
    private static final Logger LOG = LoggerFactory.getLogger(UpstreamLines.class);

    private final HubStore store;
    private final Exchange exchange;
    private final ClientWatch watch;
    private volatile boolean cacheable;
    private volatile Flow.Subscription subscription;

    UpstreamLines(HubStore store, Exchange exchange, ClientWatch watch) {
        this.store = store;
        this.exchange = exchange;
        this.watch = watch;
    }

    void cacheable(boolean ok) {
        this.cacheable = ok;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        subscription = s;
        if (watch != null) {
            watch.upstream(s);
        }
        s.request(1);
    }

    @Override
    public void onNext(String line) {
        if (watch != null && watch.mode() == ClientWatch.Mode.LOCAL) {
            return;
        }
        if (!exchange.open()) {
            subscription.cancel();
            return;
        }
        if (cacheable && watch != null && !line.isBlank()) {
            try {
                JsonNode event = Json.parse(line.getBytes(StandardCharsets.UTF_8), false);
                if (event.path("object") instanceof ObjectNode obj && ApiHandler.cacheableKind(Meta.text(obj, "kind"))) {
                    String type = event.path("type").asText();
                    store.recordWatchEvent(watch.client(), watch.shape(), type, obj);
                    if (watch.viewed() && !"ERROR".equals(type) && !"BOOKMARK".equals(type)) {
                        // cached whole, served as the node's view of it
                        watch.send(type, obj).addListener(f -> subscription.request(1));
                        return;
                    }
                }
            } catch (RuntimeException e) {
                LOG.debug("watch event not cached: {}", e.toString());
            }
        }
        // the next line is read once this one is written: a slow client slows the cloud's stream, not the hub's memory
        exchange.chunk((line + "\n").getBytes(StandardCharsets.UTF_8)).addListener(f -> subscription.request(1));
    }

    @Override
    public void onError(Throwable throwable) {
        LOG.debug("upstream stream ended: {}", throwable.toString());
    }

    @Override
    public void onComplete() {
        // the future returned by the cloud client ends the local stream
    }
}
