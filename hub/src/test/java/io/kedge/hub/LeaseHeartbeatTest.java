package io.kedge.hub;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.kedge.api.Json;
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

    @Test
    void aRenewalOfTheNodesOwnLeasePatchesOnlyItsRenewTime() {
        JsonNode lease = Json.parse(("{\"metadata\":{\"name\":\"n1\"},\"spec\":{\"holderIdentity\":\"n1\","
                + "\"leaseDurationSeconds\":40,\"renewTime\":\"2026-11-27T08:59:50.000000Z\"}}").getBytes(), false);

        JsonNode patch = LeaseHeartbeat.renewal(lease, "n1", Instant.parse("2026-11-27T09:00:00.123456Z"));

        assertThat(patch.toString()).isEqualTo("{\"spec\":{\"renewTime\":\"2026-11-27T09:00:00.123456Z\"}}");
    }

    @Test
    void aRenewalSetsHolderAndDurationWhenTheLeaseHasOthers() {
        JsonNode lease = Json.parse(("{\"metadata\":{\"name\":\"n1\"},\"spec\":{\"holderIdentity\":\"someone-else\","
                + "\"leaseDurationSeconds\":15}}").getBytes(), false);

        JsonNode spec = LeaseHeartbeat.renewal(lease, "n1", Instant.parse("2026-11-27T09:00:00Z")).path("spec");

        assertThat(spec.path("holderIdentity").asText()).isEqualTo("n1");
        assertThat(spec.path("leaseDurationSeconds").asInt()).isEqualTo(40);
        assertThat(spec.path("renewTime").asText()).isEqualTo("2026-11-27T09:00:00.000000Z");
    }

    @Test
    void theHubRenewsByPatchAndNeverPutsTheWholeLease() throws Exception {
        try (TestCloud cloud = TestCloud.start(Files.createTempDirectory("kedge-lease-test")); Link link = cloud.link()) {
            cloud.create("/api/v1/nodes", "{\"apiVersion\":\"v1\",\"kind\":\"Node\",\"metadata\":{\"name\":\"patch-1\"}}");
            MovingClock clock = new MovingClock();
            try (EdgeHub hub = new EdgeHub(cloud.hubConfig(dir, "patch-1", link), clock).start()) {
                String lease = "/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/patch-1";
                hub.kubeletAlive();
                Await.until("the lease created", () -> renewTime(cloud, lease).startsWith("2026-11-27T09:00:00"));
                for (int s = 10; s <= 30; s += 10) {
                    clock.advance(Duration.ofSeconds(10));
                    String expected = "2026-11-27T09:00:" + s;
                    Await.until("the lease renewed at " + expected, () -> renewTime(cloud, lease).startsWith(expected));
                }

                assertThat(leaseRequests(cloud, "patch")).as("renewals").isGreaterThanOrEqualTo(3);
                assertThat(leaseRequests(cloud, "update")).as("full PUTs of the Lease").isZero();
                JsonNode renewed = cloud.get(lease);
                assertThat(renewed.path("spec").path("holderIdentity").asText()).isEqualTo("patch-1");
                assertThat(renewed.path("spec").path("leaseDurationSeconds").asInt()).isEqualTo(40);
                assertThat(renewed.path("metadata").path("ownerReferences").path(0).path("kind").asText()).isEqualTo("Node");
            }
        }
    }

    @Test
    void aLeaseDeletedBetweenRenewalsIsCreatedAgainOwnedByTheNode() throws Exception {
        try (TestCloud cloud = TestCloud.start(Files.createTempDirectory("kedge-lease-test")); Link link = cloud.link()) {
            JsonNode node = cloud.create("/api/v1/nodes",
                    "{\"apiVersion\":\"v1\",\"kind\":\"Node\",\"metadata\":{\"name\":\"gone-1\"}}");
            MovingClock clock = new MovingClock();
            try (EdgeHub hub = new EdgeHub(cloud.hubConfig(dir, "gone-1", link), clock).start()) {
                String lease = "/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/gone-1";
                hub.kubeletAlive();
                Await.until("the lease created", () -> renewTime(cloud, lease).startsWith("2026-11-27T09:00:00"));

                assertThat(cloud.send("DELETE", lease, null, null).statusCode()).isEqualTo(200);
                clock.advance(Duration.ofSeconds(10));

                Await.until("the lease made again", () -> renewTime(cloud, lease).startsWith("2026-11-27T09:00:10"));
                JsonNode owner = cloud.get(lease).path("metadata").path("ownerReferences").path(0);
                assertThat(owner.path("uid").asText()).isEqualTo(node.path("metadata").path("uid").asText());
                assertThat(hub.cloudHealthy()).isTrue();
            }
        }
    }

    @Test
    void aLeaseGivenAnotherHolderIsTakenBackByTheNextRenewals() throws Exception {
        try (TestCloud cloud = TestCloud.start(Files.createTempDirectory("kedge-lease-test")); Link link = cloud.link()) {
            cloud.create("/api/v1/nodes", "{\"apiVersion\":\"v1\",\"kind\":\"Node\",\"metadata\":{\"name\":\"held-1\"}}");
            MovingClock clock = new MovingClock();
            try (EdgeHub hub = new EdgeHub(cloud.hubConfig(dir, "held-1", link), clock).start()) {
                String lease = "/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/held-1";
                hub.kubeletAlive();
                Await.until("the lease created", () -> renewTime(cloud, lease).startsWith("2026-11-27T09:00:00"));

                assertThat(cloud.send("PATCH", lease, "application/merge-patch+json",
                        "{\"spec\":{\"holderIdentity\":\"intruder\",\"leaseDurationSeconds\":15}}").statusCode()).isEqualTo(200);

                Await.until("holder and duration set back", () -> {
                    JsonNode spec = cloud.get(lease).path("spec");
                    return spec.path("holderIdentity").asText().equals("held-1") && spec.path("leaseDurationSeconds").asInt() == 40;
                });
            }
        }
    }

    /** The server's count of requests with {@code verb} on Leases, from its /metrics. */
    private static long leaseRequests(TestCloud cloud, String verb) throws Exception {
        long total = 0;
        for (String line : cloud.send("GET", "/metrics", null, null).body().split("\n")) {
            if (line.startsWith("apiserver_request_total{") && line.contains("resource=\"leases.coordination.k8s.io\"")
                    && line.contains("verb=\"" + verb + "\"")) {
                total += (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return total;
    }

    private static String renewTime(TestCloud cloud, String path) throws Exception {
        JsonNode lease = cloud.get(path);
        return lease.path("spec").path("renewTime").asText();
    }
}
