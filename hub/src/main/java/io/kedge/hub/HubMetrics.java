package io.kedge.hub;

import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/** The hub's Prometheus metrics, read when scraped: cloud state, cache and journal sizes, upstream bytes, watches. */
final class HubMetrics {
    private final PrometheusRegistry registry = new PrometheusRegistry();

    HubMetrics(CloudHealth health, HubDatabase database, HubStore store, Journal journal, CloudClient cloud, Watches watches,
               ClientCertificateStatus certificate) {
        GaugeWithCallback.builder().name("kedge_hub_cloud_healthy").help("1 while the cloud is healthy, 0 while it is not")
                .callback(cb -> cb.call(health.healthy() ? 1 : 0)).register(registry);
        GaugeWithCallback.builder().name("kedge_hub_cloud_state_since_seconds")
                .help("When the cloud's current state began, in seconds since the epoch")
                .callback(cb -> cb.call(health.since().toEpochMilli() / 1000.0)).register(registry);
        CounterWithCallback.builder().name("kedge_hub_cloud_state_changes").help("Changes of the cloud's state")
                .callback(cb -> cb.call(health.changes())).register(registry);
        GaugeWithCallback.builder().name("kedge_hub_cache_objects").help("Objects in the hub's cache")
                .callback(cb -> cb.call(store.objectCount())).register(registry);
        GaugeWithCallback.builder().name("kedge_hub_cache_bytes").help("Bytes of the hub's cache and journal on disk")
                .callback(cb -> cb.call(database.bytesOnDisk())).register(registry);
        GaugeWithCallback.builder().name("kedge_hub_cache_shapes").help("List shapes (client and selectors) in the hub's cache")
                .callback(cb -> cb.call(store.shapeCount())).register(registry);
        GaugeWithCallback.builder().name("kedge_hub_journal_depth").help("Node writes waiting to be replayed to the cloud")
                .callback(cb -> cb.call(journal.depth())).register(registry);
        CounterWithCallback.builder().name("kedge_hub_upstream_received_bytes").help("Bytes of answers read from the cloud")
                .callback(cb -> cb.call(cloud.bytesIn())).register(registry);
        CounterWithCallback.builder().name("kedge_hub_upstream_sent_bytes").help("Bytes of request bodies sent to the cloud")
                .callback(cb -> cb.call(cloud.bytesOut())).register(registry);
        GaugeWithCallback.builder().name("kedge_hub_watches").help("Local clients' open watches")
                .callback(cb -> cb.call(watches.size())).register(registry);
        GaugeWithCallback.builder().name("kedge_hub_upstream_watches")
                .help("Watches the hub holds open to the cloud for local clients' watches (identical ones share one)")
                .callback(cb -> cb.call(watches.upstreams())).register(registry);
        GaugeWithCallback.builder().name("kedge_hub_watches_shared")
                .help("Local clients' watches served by a cloud watch another client's watch opened")
                .callback(cb -> cb.call(watches.shared().sharedClients())).register(registry);
        GaugeWithCallback.builder().name("kedge_hub_client_certificate_not_after_seconds")
                .help("When the node's client certificate expires, in seconds since the epoch")
                .callback(cb -> certificate.notAfter().ifPresent(t -> cb.call(t.toEpochMilli() / 1000.0))).register(registry);
        GaugeWithCallback.builder().name("kedge_hub_client_certificate_last_rotation_seconds")
                .help("When the node's client certificate was last rotated, in seconds since the epoch")
                .callback(cb -> certificate.lastRotation().ifPresent(t -> cb.call(t.toEpochMilli() / 1000.0))).register(registry);
        GaugeWithCallback.builder().name("kedge_hub_client_certificate_action_needed")
                .help("1 with what an operator must do when the node cannot renew its client certificate by itself")
                .labelNames("message")
                .callback(cb -> certificate.actionNeeded().ifPresent(m -> cb.call(1, m))).register(registry);
    }

    byte[] scrape() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            PrometheusTextFormatWriter.create().write(out, registry.scrape());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
