package io.kedge.kubelet.node;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.kedge.api.Json;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Peer health over the unit LAN: every 5 s the agent opens a TCP connection (1 s timeout) to each
 * unit peer's kubelet port, and publishes what it saw on its own Node as the annotation
 * {@code kedge.io/peer-probe: {"time":"<round, RFC3339 UTC>","peers":{"east-2":"Reachable",...}}},
 * through the hub: when a peer's state changes, and at least every 30 s so that the cloud can tell
 * a fresh report from an old one. Offline the hub journals the patch and replays it when the cloud
 * returns.
 */
public final class PeerProber implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PeerProber.class);
    public static final String ANNOTATION = "kedge.io/peer-probe";
    static final Duration INTERVAL = Duration.ofSeconds(5);
    static final Duration TIMEOUT = Duration.ofSeconds(1);
    /**
     * An unchanged view is published again this often, only to show the prober still runs: each
     * publication is a Node update sent to every watcher of the node, so changes go out at once
     * and nothing else does.
     */
    static final Duration REPUBLISH = Duration.ofMinutes(5);

    /** Whether {@code address:port} accepts a connection within {@code timeout}. */
    @FunctionalInterface
    interface Probe {
        boolean reachable(String address, int port, Duration timeout);
    }

    /** Writes the annotation's value on the node's own Node. */
    @FunctionalInterface
    interface Publisher {
        void publish(String report) throws Exception;
    }

    private final Supplier<List<UnitPeers.Peer>> peers;
    private final Probe probe;
    private final Publisher publisher;
    private final Clock clock;
    private final ExecutorService probes = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "peer-probe");
        t.setDaemon(true);
        return t;
    });
    private ScheduledExecutorService timer;
    private Map<String, String> published;
    private Instant publishedAt;

    /** Probes the peers {@code peers} finds and annotates Node {@code nodeName} through {@code client} (the hub's). */
    public PeerProber(KubernetesClient client, String nodeName, UnitPeers peers) {
        this(peers::peers, PeerProber::connects, report -> client.nodes().withName(nodeName)
                .patch(PatchContext.of(PatchType.JSON_MERGE), mergePatch(report)), Clock.systemUTC());
    }

    PeerProber(Supplier<List<UnitPeers.Peer>> peers, Probe probe, Publisher publisher, Clock clock) {
        this.peers = peers;
        this.probe = probe;
        this.publisher = publisher;
        this.clock = clock;
    }

    public synchronized PeerProber start() {
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "peer-prober");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(() -> {
            try {
                round();
            } catch (RuntimeException e) {
                LOG.warn("peer probe round failed", e);
            }
        }, 0, INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    /** One round: probes every peer that has an address at once, then publishes when due; the report when published. */
    synchronized String round() {
        Instant time = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        List<UnitPeers.Peer> targets = peers.get().stream().filter(p -> p.address() != null).toList();
        List<CompletableFuture<Boolean>> results = new ArrayList<>();
        for (UnitPeers.Peer p : targets) {
            results.add(CompletableFuture.supplyAsync(() -> probe.reachable(p.address(), p.kubeletPort(), TIMEOUT), probes));
        }
        Map<String, String> seen = new TreeMap<>();
        for (int i = 0; i < targets.size(); i++) {
            seen.put(targets.get(i).name(), results.get(i).join() ? "Reachable" : "Unreachable");
        }
        boolean changed = !seen.equals(published);
        boolean due = publishedAt == null || !clock.instant().isBefore(publishedAt.plus(REPUBLISH));
        if (seen.isEmpty() && (published == null || published.isEmpty())) {
            return null; // a node without peers has nothing to say
        }
        if (!changed && !due) {
            return null;
        }
        String report = report(time, seen);
        try {
            publisher.publish(report);
        } catch (Exception e) {
            LOG.warn("peer probe report not published (tried again in {} s): {}", INTERVAL.toSeconds(), e.toString());
            return null;
        }
        if (changed) {
            LOG.info("unit peers seen over the LAN: {}", seen);
        }
        published = seen;
        publishedAt = clock.instant();
        return report;
    }

    static String report(Instant time, Map<String, String> seen) {
        ObjectNode report = Json.object();
        report.put("time", time.truncatedTo(ChronoUnit.SECONDS).toString());
        ObjectNode peersNode = report.putObject("peers");
        seen.forEach(peersNode::put);
        return Json.string(report);
    }

    static String mergePatch(String report) {
        ObjectNode patch = Json.object();
        patch.putObject("metadata").putObject("annotations").put(ANNOTATION, report);
        return Json.string(patch);
    }

    static boolean connects(String address, int port, Duration timeout) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address, port), (int) timeout.toMillis());
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public synchronized void close() {
        if (timer != null) {
            timer.shutdownNow();
        }
        probes.shutdownNow();
    }
}
