package io.kedge.bench;

import io.kedge.store.KvStore;
import io.kedge.store.KvStores;
import io.kedge.store.StoreException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Benchmark 1: small ConfigMaps created, then updated, over HTTPS by N concurrent clients, against the raw
 * SQLite store doing the same puts from N threads in this JVM. The ratio API/store is the cost of the
 * whole API path (TLS, HTTP/2, JSON, admission, managedFields, watch cache) over the durable write alone.
 */
final class WriteThroughputBench {
    static final String NAMESPACE = "bench-writes";
    private static final Duration WARM_UP = Duration.ofSeconds(8);

    private final ApiClient api;
    private final Path storeDir;
    private final Report report;
    private final Duration round;
    private final int rounds;
    private final AtomicLong apiCreates = new AtomicLong();

    WriteThroughputBench(ApiClient api, Path storeDir, Report report, Duration round, int rounds) {
        this.api = api;
        this.storeDir = storeDir;
        this.report = report;
        this.round = round;
        this.rounds = rounds;
    }

    void run(List<Integer> concurrencies) {
        Namespaces.ensure(api, NAMESPACE);
        report.heading("1. Small ConfigMap writes: API over HTTPS/HTTP2 vs raw SQLite store");
        report.note(("%d rounds of %d s per cell, each cell after a discarded %.1f s warm-up (and %d s of creates and %d s of updates "
                + "before the first cell); ops/s is the median round, latency is over all rounds; the API clients share %d HTTP/2 connections.")
                .formatted(rounds, round.toSeconds(), round.toMillis() / 2000.0, WARM_UP.toSeconds(), WARM_UP.toSeconds(),
                        api.connections()));
        report.note("");
        report.tableHeader("operation", "clients", "API ops/s", "API p50 ms", "API p99 ms", "store ops/s",
                "store p50 ms", "store p99 ms", "API/store", "API failures", "load 1m");
        warmUp(concurrencies.get(0));
        for (int c : concurrencies) {
            measure(c);
        }
    }

    private void measure(int concurrency) {
        List<List<String>> created = new ArrayList<>();
        for (int w = 0; w < concurrency; w++) {
            created.add(new ArrayList<>());
        }
        String prefix = "c" + concurrency;
        Cell apiCreate = rounds("API create c=" + concurrency, concurrency, (r, worker, i) -> {
            String name = "%s-r%d-w%d-%d".formatted(prefix, r, worker, i);
            ApiClient.Response resp = api.post(path(), HollowObjects.configMap(name, Integer.toString(i)));
            if (!resp.ok()) {
                return resp.status() + " " + resp.body();
            }
            created.get(worker).add(name);
            apiCreates.incrementAndGet();
            return null;
        });
        Cell apiUpdate = rounds("API update c=" + concurrency, concurrency, (r, worker, i) -> {
            List<String> mine = created.get(worker);
            String name = mine.get(i % mine.size());
            ApiClient.Response resp = api.put(path() + "/" + name,
                    HollowObjects.configMap(name, "u" + r + "-" + i));
            return resp.ok() ? null : resp.status() + " " + resp.body();
        });

        byte[] value = storedValue(created.get(0).get(0));
        try (KvStore store = KvStores.openSqlite(storeDir.resolve("writes-c" + concurrency + ".db"))) {
            List<List<String>> keys = new ArrayList<>();
            for (int w = 0; w < concurrency; w++) {
                keys.add(new ArrayList<>());
            }
            String keyPrefix = "/registry/configmaps/" + NAMESPACE + "/";
            Cell storeCreate = rounds("store create c=" + concurrency, concurrency, (r, worker, i) -> {
                String key = keyPrefix + "%s-r%d-w%d-%d".formatted(prefix, r, worker, i);
                store.create(key, value);
                keys.get(worker).add(key);
                return null;
            });
            Cell storeUpdate = rounds("store update c=" + concurrency, concurrency, (r, worker, i) -> {
                List<String> mine = keys.get(worker);
                try {
                    store.update(mine.get(i % mine.size()), value, 0);
                    return null;
                } catch (StoreException e) {
                    return e.getClass().getSimpleName() + " " + e.getMessage();
                }
            });
            row("create", concurrency, apiCreate, storeCreate);
            row("update", concurrency, apiUpdate, storeUpdate);
        }
    }

    /**
     * Creates and updates for a while before anything is measured: the server's JIT needs far longer than
     * one round to settle, and without this the first cell would measure compilation.
     */
    private void warmUp(int concurrency) {
        List<List<String>> created = new ArrayList<>();
        for (int w = 0; w < concurrency; w++) {
            created.add(new ArrayList<>());
        }
        LoadRunner.Result c = LoadRunner.forDuration(concurrency, WARM_UP, (worker, i) -> {
            String name = "warm-w%d-%d".formatted(worker, i);
            ApiClient.Response r = api.post(path(), HollowObjects.configMap(name, Integer.toString(i)));
            if (r.ok()) {
                created.get(worker).add(name);
                apiCreates.incrementAndGet();
            }
            return r.ok() ? null : r.status() + " " + r.body();
        });
        LoadRunner.Result u = LoadRunner.forDuration(concurrency, WARM_UP, (worker, i) -> {
            List<String> mine = created.get(worker);
            String name = mine.get(i % mine.size());
            ApiClient.Response r = api.put(path() + "/" + name, HollowObjects.configMap(name, "w" + i));
            return r.ok() ? null : r.status() + " " + r.body();
        });
        Log.info("warm-up: %.0f creates/s then %.0f updates/s (not reported)", c.perSecond(), u.perSecond());
    }

    /** ConfigMaps this benchmark created through the API (warm-ups included); they stay in the server. */
    long apiCreates() {
        return apiCreates.get();
    }

    private void row(String op, int concurrency, Cell api, Cell store) {
        report.row(op, concurrency, api.opsPerSecond(), api.latency.median(), api.latency.p99(),
                store.opsPerSecond(), store.latency.median(), store.latency.p99(),
                Report.fmt(api.opsPerSecond() / store.opsPerSecond()), api.failureSummary(),
                Report.loadAverage().split(" ")[0]);
    }

    /** The bytes the server stored for one created object, so the raw store writes values of the same size. */
    private byte[] storedValue(String name) {
        ApiClient.Response r = api.get(path() + "/" + name);
        if (!r.ok()) {
            throw new IllegalStateException("cannot read back configmap " + name + ": " + r.status() + " " + r.body());
        }
        return r.body().getBytes(StandardCharsets.UTF_8);
    }

    private static String path() {
        return "/api/v1/namespaces/" + NAMESPACE + "/configmaps";
    }

    private interface RoundOperation {
        String run(int round, int worker, int iteration) throws Exception;
    }

    private record Cell(Samples roundRates, Samples latency, long failures, String firstFailure) {
        double opsPerSecond() {
            return roundRates.median();
        }

        String failureSummary() {
            return failures == 0 ? "0" : failures + " (first: " + Failures.brief(firstFailure) + ")";
        }
    }

    private Cell rounds(String label, int concurrency, RoundOperation op) {
        LoadRunner.forDuration(concurrency, round.dividedBy(2), (w, i) -> op.run(-1, w, i));
        Samples rates = new Samples();
        Samples latency = new Samples();
        long failures = 0;
        String first = null;
        for (int r = 0; r < rounds; r++) {
            int roundIndex = r;
            LoadRunner.Result res = LoadRunner.forDuration(concurrency, round, (w, i) -> op.run(roundIndex, w, i));
            rates.add(res.perSecond());
            latency.addAll(res.latencyMs());
            failures += res.failures();
            if (first == null) {
                first = res.firstFailure();
            }
            Log.info("%s round %d: %.0f ops/s, p50 %.1f ms, %d failures %s", label, r, res.perSecond(),
                    res.latencyMs().median(), res.failures(), res.failureKinds());
        }
        return new Cell(rates, latency, failures, first);
    }
}
