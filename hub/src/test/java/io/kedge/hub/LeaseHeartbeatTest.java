package io.kedge.hub;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Lease renewed on the kubelet's heartbeat, on a clock the test moves. */
class LeaseHeartbeatTest {
    @TempDir
    Path dir;

    /** A clock that moves only when told. */
    private static final class MovingClock extends Clock {
        private volatile Instant now = Instant.parse("2026-11-27T09:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void theLeaseStopsBeingRenewedFortySecondsAfterTheKubeletsLastHeartbeat() throws Exception {
        try (TestCloud cloud = TestCloud.start(Files.createTempDirectory("kedge-lease-test")); Link link = cloud.link()) {
            cloud.create("/api/v1/nodes", "{\"apiVersion\":\"v1\",\"kind\":\"Node\",\"metadata\":{\"name\":\"grace-1\"}}");
            MovingClock clock = new MovingClock();
            try (EdgeHub hub = new EdgeHub(cloud.hubConfig(dir, "grace-1", link), clock).start()) {
                String lease = "/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/grace-1";
                hub.kubeletAlive();
                Await.until("the lease renewed at the heartbeat's time", () -> renewTime(cloud, lease).startsWith("2026-11-27T09:00:00"));

                clock.advance(Duration.ofSeconds(30));
                Await.until("the lease renewed 30 s later", () -> renewTime(cloud, lease).startsWith("2026-11-27T09:00:30"));

                clock.advance(Duration.ofSeconds(11)); // 41 s after the only heartbeat
                long checks = hub.healthChecks();
                Await.until("three more checks", () -> hub.healthChecks() >= checks + 3);
                assertThat(renewTime(cloud, lease)).as("a dead kubelet's node goes NotReady in the cloud")
                        .startsWith("2026-11-27T09:00:30");
                assertThat(hub.cloudHealthy()).as("the cloud is still measured, by reading the Lease").isTrue();

                hub.kubeletAlive();
                Await.until("renewed again once the kubelet is back", () -> renewTime(cloud, lease).startsWith("2026-11-27T09:00:41"));
            }
        }
    }

    private static String renewTime(TestCloud cloud, String path) throws Exception {
        JsonNode lease = cloud.get(path);
        return lease.path("spec").path("renewTime").asText();
    }
}
