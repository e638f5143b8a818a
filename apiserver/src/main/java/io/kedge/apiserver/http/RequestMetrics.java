package io.kedge.apiserver.http;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.function.Supplier;

/** The server's Prometheus metrics: requests, watches, store latency and object counts. */
public final class RequestMetrics {
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Counter requests = Counter.builder().name("apiserver_request_total")
            .help("Requests by verb, resource and HTTP code").labelNames("verb", "resource", "code").register(registry);
    private final Histogram latency = Histogram.builder().name("apiserver_request_duration_seconds")
            .help("Time to the first byte of the response, by verb and resource").labelNames("verb", "resource")
            .classicUpperBounds(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30).register(registry);
    private final Gauge watches = Gauge.builder().name("apiserver_longrunning_requests")
            .help("Open watches by resource").labelNames("resource").register(registry);
    private final Histogram storeLatency = Histogram.builder().name("kedge_store_operation_duration_seconds")
            .help("Store operation latency by operation").labelNames("operation")
            .classicUpperBounds(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5).register(registry);

    /** One request on its way through: the router fills verb and resource, the response the code. */
    public final class Sample {
        private final long start = System.nanoTime();
        private volatile String verb = "unknown";
        private volatile String resource = "";
        private volatile boolean done;
        private volatile String namespace;
        private volatile String name;
        private volatile boolean resourceRequest;
        private volatile java.util.function.IntConsumer onFinish = code -> { };

        public void describe(String verb, String resource) {
            this.verb = verb;
            this.resource = resource;
        }

        /** The object a resource request is about, for the audit log. */
        public void target(String namespace, String name) {
            this.namespace = namespace;
            this.name = name;
            this.resourceRequest = true;
        }

        /** Whether the request was about a resource (else a path like /version, /metrics or discovery). */
        public boolean resourceRequest() {
            return resourceRequest;
        }

        public String verb() {
            return verb;
        }

        public String resource() {
            return resource;
        }

        public String namespace() {
            return namespace;
        }

        public String name() {
            return name;
        }

        void onFinish(java.util.function.IntConsumer then) {
            this.onFinish = then;
        }

        void finish(int code) {
            if (done) {
                return;
            }
            done = true;
            onFinish.accept(code);
            requests.labelValues(verb, resource, Integer.toString(code)).inc();
            latency.labelValues(verb, resource).observe((System.nanoTime() - start) / 1e9);
        }
    }

    public Sample sample() {
        return new Sample();
    }

    public void watchOpened(String resource) {
        watches.labelValues(resource).inc();
    }

    public void watchClosed(String resource) {
        watches.labelValues(resource).dec();
    }

    public void storeOperation(String operation, long nanos) {
        storeLatency.labelValues(operation).observe(nanos / 1e9);
    }

    /** Reports each resource's object count when scraped. */
    public void objectCounts(Supplier<Map<String, Integer>> counts) {
        GaugeWithCallback.builder().name("apiserver_storage_objects").help("Objects stored, by resource")
                .labelNames("resource")
                .callback(cb -> counts.get().forEach((r, n) -> cb.call(n, r)))
                .register(registry);
    }

    public byte[] scrape() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            PrometheusTextFormatWriter.create().write(out, registry.scrape());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
