package io.kedge.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Benchmark 2: hollow pods written through the API by concurrent clients, then LIST in the shapes real
 * clients use, timed to the last byte of the response.
 */
final class ListBench {
    private static final JsonFactory JSON = new JsonFactory();
    private static final double SLOW_MS = 20_000;
    private static final double SLOW_BUDGET_MS = 120_000;

    private final ApiClient api;
    private final Report report;
    private final int writers;
    private final Duration listTimeout;
    private final List<Object[]> populateRows = new ArrayList<>();
    private final List<Object[]> listRows = new ArrayList<>();

    /** @param listTimeout how long one LIST may take to start answering before it counts as failed */
    ListBench(ApiClient api, Report report, int writers, Duration listTimeout) {
        this.api = api;
        this.report = report;
        this.writers = writers;
        this.listTimeout = listTimeout;
    }

    /** Creates pods {@code from} (inclusive) to {@code to} (exclusive) and reports the write rate. */
    void populate(int from, int to) {
        if (from == 0) {
            for (int n = 0; n < HollowObjects.NAMESPACES; n++) {
                Namespaces.ensure(api, HollowObjects.podNamespace(n));
            }
        }
        Log.info("creating pods %d..%d with %d clients", from, to, writers);
        LoadRunner.Result r = LoadRunner.forEach(writers, from, to, this::createPod);
        populateRows.add(row(to - from, to, r.elapsed().toMillis() / 1000.0, r.perSecond(), r.latencyMs().median(),
                r.latencyMs().p99(), r.failures() == 0 ? "0" : r.failures() + " " + r.failureKinds() + " first: "
                        + Failures.brief(r.firstFailure())));
        Log.info("%d pods written in %.1f s (%.0f pods/s, %d failures)", to - from, r.elapsed().toMillis() / 1000.0,
                r.perSecond(), r.failures());
    }

    /** A table row ending with the 1-minute load average at the time it was measured. */
    private static Object[] row(Object... cells) {
        Object[] withLoad = java.util.Arrays.copyOf(cells, cells.length + 1);
        withLoad[cells.length] = Report.loadAverage().split(" ")[0];
        return withLoad;
    }

    /** One retry, because one lost create must not leave a hole in the counts every list is checked against. */
    private String createPod(int index) {
        String path = "/api/v1/namespaces/" + HollowObjects.podNamespace(index) + "/pods";
        ApiClient.Response resp = api.post(path, HollowObjects.pod(index));
        if (resp.ok()) {
            return null;
        }
        String failure = resp.status() + " " + resp.body();
        ApiClient.Response retry = api.post(path, HollowObjects.pod(index));
        if (retry.ok() || retry.status() == 409) {
            Log.info("pod %d: first create failed (%s), retry succeeded", index, Failures.brief(failure));
            return null;
        }
        return failure;
    }

    /** Both tables, written once the phase is over so that neither interleaves with the other. */
    void writeReport() {
        report.heading("2a. Writing hollow pods through the API (%d concurrent clients, %d HTTP/2 connections)"
                .formatted(writers, api.connections()));
        report.tableHeader("pods written", "stored after", "seconds", "pods/s", "p50 ms", "p99 ms", "failures", "load 1m");
        populateRows.forEach(report::row);
        if (!listRows.isEmpty()) {
            report.heading("2b. LIST latency (time to the last byte; client on the same machine)");
            report.tableHeader("pods stored", "request", "runs", "median ms", "p90 ms", "first byte median ms",
                    "response MB", "items", "check", "load 1m");
            listRows.forEach(report::row);
        }
    }

    /** Each request once untimed (warm-up and item count), then {@code runs} timed runs. */
    void measure(int stored, int runs, int heavyRuns) {
        String ns = HollowObjects.podNamespace(7);
        int perNamespace = stored / HollowObjects.NAMESPACES;
        timed(stored, "all pods, JSON", "/api/v1/pods", ApiClient.JSON, "items", stored, heavyRuns);
        timed(stored, "all pods, limit=500 (first page)", "/api/v1/pods?limit=500", ApiClient.JSON, "items",
                Math.min(500, stored), runs);
        timed(stored, "one namespace (" + perNamespace + " pods), JSON", "/api/v1/namespaces/" + ns + "/pods",
                ApiClient.JSON, "items", perNamespace, runs);
        timed(stored, "all pods, Table", "/api/v1/pods", ApiClient.KUBECTL_TABLE, "rows", stored, heavyRuns);
        timed(stored, "all pods, Table, limit=500 (kubectl get pods -A, first page)", "/api/v1/pods?limit=500",
                ApiClient.KUBECTL_TABLE, "rows", Math.min(500, stored), runs);
        walk(stored, Math.max(1, heavyRuns / 2 + 1));
    }

    /**
     * One full JSON LIST, untimed: the allocation a large reader causes.
     *
     * @return what failed, or an empty string
     */
    String fullJsonListOnce() {
        try {
            Timing t = fetch(api.connection(0), "/api/v1/pods", ApiClient.JSON, null);
            Log.info("full JSON list took %.1f s", t.totalMs / 1000);
            return "";
        } catch (RuntimeException e) {
            return "the full JSON LIST failed: " + Failures.brief(causes(e));
        }
    }

    private void timed(int stored, String label, String path, String accept, String arrayField, int expected, int runs) {
        HttpClient conn = api.connection(0);
        Timing warm;
        try {
            warm = fetch(conn, path, accept, arrayField);
        } catch (RuntimeException e) {
            Log.info("%d pods, %s failed: %s", stored, label, e);
            listRows.add(row(stored, label, 0, "", "", "", "", "", "FAILED: " + Failures.brief(causes(e))));
            return;
        }
        Shape shape = warm.shape;
        String check = shape.items == expected ? "ok" : "MISMATCH: expected " + expected;
        if (path.contains("limit=") && stored > 500 && (shape.continueToken == null || shape.continueToken.isEmpty())) {
            check += "; no continue token";
        }
        Samples total = new Samples();
        Samples firstByte = new Samples();
        long bytes = warm.bytes;
        // A request this slow is not warming anything up; count it, and stop repeating it after two minutes.
        boolean slow = warm.totalMs > SLOW_MS;
        if (slow) {
            total.add(warm.totalMs);
            firstByte.add(warm.firstByteMs);
        }
        double spent = warm.totalMs;
        for (int r = slow ? 1 : 0; r < runs && !(slow && spent > SLOW_BUDGET_MS); r++) {
            try {
                Timing t = fetch(conn, path, accept, null);
                total.add(t.totalMs);
                firstByte.add(t.firstByteMs);
                bytes = t.bytes;
                spent += t.totalMs;
            } catch (RuntimeException e) {
                check += "; a run FAILED: " + Failures.brief(causes(e));
                break;
            }
        }
        Log.info("%d pods, %s: median %.0f ms", stored, label, total.median());
        listRows.add(row(stored, label, total.count() + (slow ? " (slow: first run counted, repeats capped at "
                        + (int) (SLOW_BUDGET_MS / 1000) + " s)" : ""), total.median(), total.p90(), firstByte.median(),
                bytes / 1e6, shape.items, check));
    }

    private static String causes(Throwable e) {
        StringBuilder b = new StringBuilder(e.toString());
        for (Throwable c = e.getCause(); c != null; c = c.getCause()) {
            b.append(" <- ").append(c);
        }
        return b.toString();
    }

    /** Every page of {@code limit=500}, following continue tokens: what a paging client does to read everything. */
    private void walk(int stored, int runs) {
        HttpClient conn = api.connection(0);
        Samples total = new Samples();
        int items = 0;
        int pages = 0;
        for (int r = 0; r < runs; r++) {
            long t0 = System.nanoTime();
            items = 0;
            pages = 0;
            String token = null;
            do {
                String path = "/api/v1/pods?limit=500" + (token == null ? ""
                        : "&continue=" + URLEncoder.encode(token, StandardCharsets.UTF_8));
                Shape page;
                try {
                    page = fetch(conn, path, ApiClient.JSON, "items").shape;
                } catch (RuntimeException e) {
                    listRows.add(row(stored, "all pods, every page of limit=500", r, "", "", "", "", items,
                            "FAILED at page " + (pages + 1) + ": " + Failures.brief(causes(e))));
                    return;
                }
                items += page.items;
                pages++;
                token = page.continueToken == null || page.continueToken.isEmpty() ? null : page.continueToken;
            } while (token != null && pages < stored);
            total.add((System.nanoTime() - t0) / 1e6);
        }
        Log.info("%d pods, paged walk: median %.0f ms over %d pages", stored, total.median(), pages);
        listRows.add(row(stored, "all pods, every page of limit=500 (" + pages + " requests)", runs, total.median(),
                total.p90(), "", "", items, items == stored ? "ok" : "MISMATCH: expected " + stored));
    }

    private record Shape(int items, String continueToken) {}

    private record Timing(double firstByteMs, double totalMs, long bytes, Shape shape) {}

    /** Reads the whole response; with an array field it also parses the list's shape (untimed use only). */
    private Timing fetch(HttpClient conn, String path, String accept, String arrayField) {
        long t0 = System.nanoTime();
        try {
            HttpResponse<InputStream> resp = conn.send(api.request(path, accept, listTimeout).GET().build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            double firstByte = (System.nanoTime() - t0) / 1e6;
            try (InputStream in = resp.body()) {
                if (resp.statusCode() != 200) {
                    throw new IllegalStateException("GET " + path + " answered " + resp.statusCode() + ": "
                            + Failures.brief(new String(in.readAllBytes(), StandardCharsets.UTF_8)));
                }
                if (arrayField != null) {
                    CountingStream counted = new CountingStream(in);
                    Shape shape = parseShape(counted, arrayField);
                    counted.drain();
                    return new Timing(firstByte, (System.nanoTime() - t0) / 1e6, counted.count, shape);
                }
                long bytes = 0;
                byte[] buf = new byte[1 << 16];
                for (int n; (n = in.read(buf)) >= 0; ) {
                    bytes += n;
                }
                return new Timing(firstByte, (System.nanoTime() - t0) / 1e6, bytes, null);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("GET " + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during GET " + path, e);
        }
    }

    /** Counts the entries of the top-level array field and picks up {@code metadata.continue}. */
    private static Shape parseShape(InputStream in, String arrayField) throws IOException {
        int items = 0;
        String token = null;
        try (JsonParser p = JSON.createParser(in)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("the list response is not a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                if (field.equals(arrayField) && value == JsonToken.START_ARRAY) {
                    while (p.nextToken() != JsonToken.END_ARRAY) {
                        items++;
                        p.skipChildren();
                    }
                } else if (field.equals("metadata") && value == JsonToken.START_OBJECT) {
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String m = p.currentName();
                        p.nextToken();
                        if (m.equals("continue")) {
                            token = p.getValueAsString();
                        } else {
                            p.skipChildren();
                        }
                    }
                } else {
                    p.skipChildren();
                }
            }
        }
        return new Shape(items, token);
    }

    /** Byte count of a stream that a parser reads. */
    private static final class CountingStream extends InputStream {
        private final InputStream in;
        long count;

        CountingStream(InputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }

        void drain() throws IOException {
            byte[] buf = new byte[1 << 16];
            while (read(buf, 0, buf.length) >= 0) {
                // the parser may stop before trailing whitespace
            }
        }

        @Override
        public void close() {
            // the caller closes the underlying stream
        }
    }
}
