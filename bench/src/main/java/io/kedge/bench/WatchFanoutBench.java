package io.kedge.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Benchmark 3: one ConfigMap change fanned out to many open watches (HTTP/2 streams over a few
 * connections), timed from the write's response to the moment the last watcher has the event.
 */
final class WatchFanoutBench {
    static final String NAMESPACE = "bench-watch";
    private static final String MARKER = "\"seq\":\"";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final ApiClient writer;
    private final Path kubeconfig;
    private final Report report;
    private final int watchers;
    private final int connections;
    private final int changes;
    private final Map<String, Change> pending = new ConcurrentHashMap<>();
    private final AtomicInteger established = new AtomicInteger();
    private final AtomicInteger failedToOpen = new AtomicInteger();
    private final AtomicInteger endedEarly = new AtomicInteger();
    private final List<Flow.Subscription> subscriptions = new ArrayList<>();

    WatchFanoutBench(ApiClient writer, Path kubeconfig, Report report, int watchers, int connections, int changes) {
        this.writer = writer;
        this.kubeconfig = kubeconfig;
        this.report = report;
        this.watchers = watchers;
        this.connections = connections;
        this.changes = changes;
    }

    /** Runs the benchmark; {@code server} (may be null) is sampled for RSS while the watches are open. */
    void run(ServerProcess server) throws Exception {
        Namespaces.ensure(writer, NAMESPACE);
        String target = "/api/v1/namespaces/" + NAMESPACE + "/configmaps";
        ApiClient.Response created = writer.post(target, HollowObjects.configMap("target", "initial"));
        if (!created.ok()) {
            throw new IllegalStateException("cannot create the watched configmap: " + created.status() + " " + created.body());
        }
        String rv = MAPPER.readTree(created.body()).path("metadata").path("resourceVersion").asText();

        ApiClient watchApi = ApiClient.connect(kubeconfig, connections);
        long openStart = System.nanoTime();
        for (int i = 0; i < watchers; i++) {
            open(watchApi, i, target + "?watch=1&timeoutSeconds=3600&resourceVersion=" + rv);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (established.get() + failedToOpen.get() < watchers && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        double openMs = (System.nanoTime() - openStart) / 1e6;
        Log.info("%d of %d watches open after %.0f ms (%d failed to open)", established.get(), watchers, openMs,
                failedToOpen.get());

        String path = target + "/target";
        for (int w = 0; w < 2; w++) {
            change(path, "warm" + w); // first events pay for JIT and connection windows; not measured
        }
        Samples fromResponse = new Samples();
        Samples fromRequest = new Samples();
        Samples medianWatcher = new Samples();
        int incomplete = 0;
        for (int c = 0; c < changes; c++) {
            Change ch = change(path, "m" + c);
            if (ch.reached.get() < established.get()) {
                incomplete++;
            }
            fromResponse.add((ch.lastReceipt.get() - ch.responseAt) / 1e6);
            fromRequest.add((ch.lastReceipt.get() - ch.requestAt) / 1e6);
            medianWatcher.add(ch.medianReceiptMs());
            Thread.sleep(200);
        }

        double rss = Double.NaN;
        if (server != null) {
            server.settleGc();
            rss = server.rssMiB();
        }
        report.heading("3. One change to %d open watches (%d HTTP/2 connections, %d streams each)"
                .formatted(watchers, connections, (watchers + connections - 1) / connections));
        report.note("%d of %d watches open %.0f ms after the first was requested; %d measured changes after 2 warm-up changes."
                .formatted(established.get(), watchers, openMs, changes));
        report.note("");
        report.tableHeader("measure", "median ms", "max ms");
        report.row("write response -> last watcher has the event", fromResponse.median(), fromResponse.max());
        report.row("write request sent -> last watcher has the event", fromRequest.median(), fromRequest.max());
        report.row("write request sent -> half the watchers have it", medianWatcher.median(), medianWatcher.max());
        report.note("");
        report.note("Changes not seen by every open watch within 30 s: %d. Watches that failed to open: %d; that ended early: %d. Server RSS with the watches open, after GC: %s MiB."
                .formatted(incomplete, failedToOpen.get(), endedEarly.get(), Report.fmt(rss)));
        synchronized (subscriptions) {
            subscriptions.forEach(Flow.Subscription::cancel);
        }
    }

    private void open(ApiClient api, int index, String path) {
        api.connection(index).sendAsync(api.request(path, ApiClient.JSON, Duration.ofMinutes(10)).GET().build(),
                        HttpResponse.BodyHandlers.ofPublisher())
                .whenComplete((resp, error) -> {
                    if (error != null || resp.statusCode() != 200) {
                        if (failedToOpen.incrementAndGet() == 1) {
                            Log.info("watch %d failed to open: %s", index,
                                    error != null ? error : "HTTP " + resp.statusCode());
                        }
                        return;
                    }
                    established.incrementAndGet();
                    resp.body().subscribe(new Watcher());
                });
    }

    /** Writes one change and waits (at most 30 s) until every open watch has it. */
    private Change change(String path, String seq) throws InterruptedException {
        Change ch = new Change(established.get());
        pending.put(seq, ch);
        ch.requestAt = System.nanoTime();
        ApiClient.Response r = writer.put(path, HollowObjects.configMap("target", seq));
        ch.responseAt = System.nanoTime();
        if (!r.ok()) {
            throw new IllegalStateException("the watched update failed: " + r.status() + " " + r.body());
        }
        if (!ch.allSeen.await(30, TimeUnit.SECONDS)) {
            Log.info("change %s reached only %d of %d watches in 30 s", seq, ch.reached.get(), ch.expected);
        }
        return ch;
    }

    private final class Change {
        final int expected;
        final AtomicInteger reached = new AtomicInteger();
        final AtomicLong lastReceipt = new AtomicLong();
        final long[] receipts;
        final CountDownLatch allSeen = new CountDownLatch(1);
        volatile long requestAt;
        volatile long responseAt;

        Change(int expected) {
            this.expected = expected;
            this.receipts = new long[expected];
        }

        void seen(long at) {
            int n = reached.getAndIncrement();
            if (n < receipts.length) {
                receipts[n] = at;
            }
            lastReceipt.accumulateAndGet(at, Math::max);
            if (n + 1 >= expected) {
                allSeen.countDown();
            }
        }

        double medianReceiptMs() {
            long[] sorted = receipts.clone();
            java.util.Arrays.sort(sorted);
            return (sorted[sorted.length / 2] - requestAt) / 1e6;
        }
    }

    /** Finds each change's sequence marker in one watch stream, however the frames split the JSON lines. */
    private final class Watcher implements Flow.Subscriber<List<ByteBuffer>> {
        private final StringBuilder buffer = new StringBuilder();

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            synchronized (subscriptions) {
                subscriptions.add(subscription);
            }
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> chunks) {
            long now = System.nanoTime();
            for (ByteBuffer b : chunks) {
                buffer.append(StandardCharsets.UTF_8.decode(b));
            }
            int from = 0;
            while (true) {
                int m = buffer.indexOf(MARKER, from);
                if (m < 0) {
                    break;
                }
                int end = buffer.indexOf("\"", m + MARKER.length());
                if (end < 0) {
                    break;
                }
                Change ch = pending.get(buffer.substring(m + MARKER.length(), end));
                if (ch != null) {
                    ch.seen(now);
                }
                from = end + 1;
            }
            int keep = Math.max(from, buffer.length() - MARKER.length() - 16);
            int lastMarker = buffer.indexOf(MARKER, from);
            buffer.delete(0, lastMarker >= 0 ? lastMarker : Math.max(from, keep));
        }

        @Override
        public void onError(Throwable t) {
            endedEarly.incrementAndGet();
        }

        @Override
        public void onComplete() {
            endedEarly.incrementAndGet();
        }
    }
}
