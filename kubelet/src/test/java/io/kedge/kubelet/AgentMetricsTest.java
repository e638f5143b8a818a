package io.kedge.kubelet;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kedge.controllers.testing.TestServer;
import io.kedge.kubelet.events.EventRecorder;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class AgentMetricsTest {
    @Test
    void theKubeletsMetricsCountTheEventsItsRateLimitsHeldBack() throws Exception {
        try (TestServer server = TestServer.start(); KubernetesClient admin = server.client();
                EventRecorder events = EventRecorder.start(admin, "metrics-node")) {
            AgentMetrics metrics = new AgentMetrics(events);
            assertThat(metrics.text()).contains("kedge_kubelet_events_dropped_total 0.0")
                    .contains("kedge_kubelet_events_rate_limited_total 0.0");

            Pod flooding = new PodBuilder().withNewMetadata().withName("flooding").withNamespace("default")
                    .withUid(UUID.randomUUID().toString()).endMetadata().build();
            for (int i = 0; i < 30; i++) {
                events.pod(flooding, EventRecorder.WARNING, "Reason" + i, "a message");
            }

            // a burst of 25 per object: the last 5 are held back once the recorder has sent them on
            Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
            while (!metrics.text().contains("kedge_kubelet_events_rate_limited_total 5.0") && Instant.now().isBefore(deadline)) {
                Thread.sleep(50);
            }
            assertThat(metrics.text()).contains("kedge_kubelet_events_rate_limited_total 5.0")
                    .contains("kedge_kubelet_events_dropped_total 0.0");
        }
    }
}
