package io.kedge.hub;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kedge.api.ApiException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The local clients' open watches, switched to local changes when the cloud is lost and closed when it returns. */
final class Watches {
    private static final Logger LOG = LoggerFactory.getLogger(Watches.class);

    private final Set<ClientWatch> open = ConcurrentHashMap.newKeySet();
    private final SharedWatches shared = new SharedWatches(
            Long.getLong("kedge.hub.watch-backlog-bytes", SharedWatches.BACKLOG_LIMIT),
            !"false".equals(System.getProperty("kedge.hub.share-watches")));

    void add(ClientWatch watch) {
        open.add(watch);
        watch.exchange().onClose(() -> {
            remove(watch);
            watch.end(); // leaves its cloud watch now, not at the next event
        });
    }

    /** The cloud watches that identical client watches share. */
    SharedWatches shared() {
        return shared;
    }

    /** Watches of the cloud open for local clients: shared ones, and those a client has alone. */
    int upstreams() {
        int alone = 0;
        for (ClientWatch w : open) {
            if (w.relaysOwnUpstream()) {
                alone++;
            }
        }
        return shared.upstreams() + alone;
    }

    java.util.Collection<ClientWatch> open() {
        return java.util.List.copyOf(open);
    }

    void remove(ClientWatch watch) {
        open.remove(watch);
    }

    /** A change the hub made itself (a journaled node write), for the watches that carry local changes. */
    void publish(String resource, String type, ObjectNode obj) {
        for (ClientWatch w : open) {
            if (w.shape().resource().equals(resource)) {
                w.local(type, obj);
            }
        }
    }

    void cloudLost() {
        int n = 0;
        for (ClientWatch w : open) {
            if (w.mode() == ClientWatch.Mode.UPSTREAM) {
                w.goLocal();
                n++;
            }
        }
        if (n > 0) {
            LOG.info("{} watches stay open on local changes while the cloud is unreachable", n);
        }
    }

    /** Closes every watch that carried local changes, so that its client lists again from the cloud. */
    void cloudBack() {
        int n = 0;
        for (ClientWatch w : open) {
            if (w.mode() == ClientWatch.Mode.LOCAL) {
                open.remove(w);
                // 410 is what clients answer with a fresh LIST; the versions they saw offline were the hub's own
                w.send("ERROR", ApiException.expired("the cloud is reachable again after the hub served this watch from its "
                        + "cache; list again").toStatus());
                w.end();
                n++;
            }
        }
        if (n > 0) {
            LOG.info("closed {} watches opened while the cloud was unreachable; their clients list again from the cloud", n);
        }
    }

    int size() {
        return open.size();
    }

    void closeAll() {
        open.forEach(ClientWatch::end);
        open.clear();
        shared.close();
    }
}
