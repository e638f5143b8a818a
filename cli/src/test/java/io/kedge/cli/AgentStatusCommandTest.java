package io.kedge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class AgentStatusCommandTest {
    private static final String CUT_OFF = """
            # HELP kedge_hub_cloud_healthy 1 while the cloud is healthy, 0 while it is not
            # TYPE kedge_hub_cloud_healthy gauge
            kedge_hub_cloud_healthy 0.0
            kedge_hub_cloud_state_since_seconds 1.7642E9
            kedge_hub_cloud_state_changes_total 3.0
            kedge_hub_cache_objects 132.0
            kedge_hub_cache_bytes 1258291.0
            kedge_hub_cache_shapes 12.0
            kedge_hub_journal_depth 17.0
            kedge_hub_upstream_received_bytes_total 3565158.0
            kedge_hub_upstream_sent_bytes_total 2048.0
            kedge_hub_watches 7.0
            """;

    @Test
    void aCutOffNodeShowsUnreachableSinceWhenAndTheWritesWaitingForTheCloud() {
        AgentStatusCommand.Status status = AgentStatusCommand.Status.parse(CUT_OFF);

        String shown = status.render(URI.create("http://127.0.0.1:10261"), Instant.ofEpochSecond(1_764_200_000L + 3_725));

        assertThat(status.cloudHealthy()).isFalse();
        assertThat(shown).contains("cloud:     UNREACHABLE for 1h2m (3 state changes)")
                .contains("journal:   17 node writes waiting for the cloud")
                .contains("cache:     132 objects in 12 list shapes, 1.2 MiB on disk")
                .contains("watches:   7 open by local clients")
                .contains("upstream:  3.4 MiB received, 2.0 KiB sent");
    }

    @Test
    void aConnectedNodeIsReachable() {
        AgentStatusCommand.Status status = AgentStatusCommand.Status.parse("kedge_hub_cloud_healthy 1.0\n");

        assertThat(status.cloudHealthy()).isTrue();
        assertThat(status.render(URI.create("http://127.0.0.1:10261"), Instant.EPOCH)).contains("cloud:     reachable");
    }

    @Test
    void theCertificatesExpiryAndLastRotationAreShown() {
        AgentStatusCommand.Status status = AgentStatusCommand.Status.parse("""
                kedge_hub_cloud_healthy 1.0
                kedge_hub_client_certificate_not_after_seconds 1.7642036E9
                kedge_hub_client_certificate_last_rotation_seconds 1.7642E9
                """);

        assertThat(status.render(URI.create("http://127.0.0.1:10261"), Instant.ofEpochSecond(1_764_200_000L)))
                .contains("cert:      valid until 2025-11-27T00:33:20Z (1h0m left), last rotated 2025-11-26T23:33:20Z")
                .doesNotContain("ACTION");
    }

    @Test
    void anExpiredCertificateShowsWhatAnOperatorMustDo() {
        AgentStatusCommand.Status status = AgentStatusCommand.Status.parse("""
                kedge_hub_cloud_healthy 0.0
                kedge_hub_client_certificate_not_after_seconds 1.7642E9
                kedge_hub_client_certificate_action_needed{message="the node's client certificate expired at 2025-11-26T23:33:20Z; \\"run\\" `kedge token create`"} 1.0
                """);

        assertThat(status.render(URI.create("http://127.0.0.1:10261"), Instant.ofEpochSecond(1_764_300_000L)))
                .contains("cert:      EXPIRED at 2025-11-26T23:33:20Z, not rotated since the agent started")
                .contains("ACTION:    the node's client certificate expired at 2025-11-26T23:33:20Z; \"run\" `kedge token create`");
    }
}
