package io.kedge.kubelet;

import io.kedge.kubelet.events.EventRecorder;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The kubelet's own Prometheus metrics, served by the kubelet API's {@code /metrics} after the hub's:
 * what the node's event recorder could not send.
 */
final class AgentMetrics {
    private final PrometheusRegistry registry = new PrometheusRegistry();

    AgentMetrics(EventRecorder events) {
        CounterWithCallback.builder().name("kedge_kubelet_events_dropped")
                .help("Events the kubelet dropped because its queue to the API was full (the oldest go first)")
                .callback(cb -> cb.call(events.dropped())).register(registry);
        CounterWithCallback.builder().name("kedge_kubelet_events_rate_limited")
                .help("Event writes held back by the per-object rate limit (a burst of 25, then one every 5 minutes)")
                .callback(cb -> cb.call(events.rateLimited())).register(registry);
    }

    String text() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            PrometheusTextFormatWriter.create().write(out, registry.scrape());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
