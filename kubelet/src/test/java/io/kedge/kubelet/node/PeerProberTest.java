package io.kedge.kubelet.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.kedge.kubelet.node.UnitPeers.Peer;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Probe rounds with a fake clock, fake probes and a recording publisher. */
class PeerProberTest {
    private static final class FakeClock extends Clock {
        Instant now = Instant.parse("2026-11-27T12:00:00.400Z");

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

        void advance(Duration d) {
            now = now.plus(d);
        }
    }

    private final FakeClock clock = new FakeClock();
    private final Map<String, Boolean> up = new HashMap<>();
    private final List<String> probed = new ArrayList<>();
    private final List<String> reports = new ArrayList<>();
    private List<Peer> peers = List.of(new Peer("east-2", "10.201.1.12", "10.42.2.0/24", 10250),
            new Peer("east-3", "10.201.1.13", "10.42.3.0/24", 10255), new Peer("east-4", null, null, 10250));
    private boolean publishFails;

    private final PeerProber prober = new PeerProber(() -> peers, (address, port, timeout) -> {
        synchronized (probed) {
            probed.add(address + ":" + port + "/" + timeout.toMillis());
        }
        return up.getOrDefault(address, false);
    }, report -> {
        if (publishFails) {
            throw new IllegalStateException("the hub answered 503");
        }
        reports.add(report);
    }, clock);

    @Test
    void aRoundProbesEachPeerAtItsKubeletPortAndPublishesWhatItSawWithTheRoundsTime() {
        up.put("10.201.1.12", true);
        String report = prober.round();
        assertThat(probed).containsExactlyInAnyOrder("10.201.1.12:10250/1000", "10.201.1.13:10255/1000");
        assertThat(report).isEqualTo("{\"time\":\"2026-11-27T12:00:00Z\",\"peers\":{\"east-2\":\"Reachable\","
                + "\"east-3\":\"Unreachable\"}}");
        assertThat(reports).containsExactly(report);
    }

    @Test
    void anUnchangedViewIsPublishedAgainOnlyAfterFiveMinutesAndAChangeAtOnce() {
        prober.round();
        clock.advance(Duration.ofSeconds(5));
        assertThat(prober.round()).isNull();
        clock.advance(Duration.ofSeconds(5));
        up.put("10.201.1.13", true);
        assertThat(prober.round()).contains("\"east-3\":\"Reachable\"").contains("12:00:10Z");
        clock.advance(Duration.ofSeconds(295));
        assertThat(prober.round()).isNull();
        clock.advance(Duration.ofSeconds(5));
        assertThat(prober.round()).contains("12:05:10Z");
        assertThat(reports).hasSize(3);
    }

    @Test
    void aReportThatCouldNotBePublishedIsTriedAgainAtTheNextRound() {
        publishFails = true;
        assertThat(prober.round()).isNull();
        publishFails = false;
        clock.advance(Duration.ofSeconds(5));
        assertThat(prober.round()).contains("12:00:05Z");
    }

    @Test
    void aNodeWithoutPeersPublishesNothingButOneThatLostItsPeersSaysSo() {
        List<Peer> before = peers;
        peers = List.of();
        assertThat(prober.round()).isNull();
        peers = before;
        prober.round();
        peers = List.of();
        clock.advance(Duration.ofSeconds(5));
        assertThat(prober.round()).endsWith("\"peers\":{}}");
    }

    @Test
    void theTcpProbeTellsAnOpenPortFromAClosedOne() throws Exception {
        try (ServerSocket open = new ServerSocket(0)) {
            assertThat(PeerProber.connects("127.0.0.1", open.getLocalPort(), Duration.ofSeconds(1))).isTrue();
        }
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        assertThat(PeerProber.connects("127.0.0.1", closed, Duration.ofSeconds(1))).isFalse();
    }
}
