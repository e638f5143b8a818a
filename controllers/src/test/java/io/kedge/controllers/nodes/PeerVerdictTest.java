package io.kedge.controllers.nodes;

import static org.assertj.core.api.Assertions.assertThat;

import io.kedge.controllers.nodes.PeerVerdict.Kind;
import io.kedge.controllers.nodes.PeerVerdict.Peer;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class PeerVerdictTest {
    private static final Instant NOW = Instant.parse("2026-11-27T12:00:00Z");

    private static String probe(Instant time, String peers) {
        return "{\"time\":\"" + time + "\",\"peers\":{" + peers + "}}";
    }

    private static Peer online(String name, String seen) {
        return new Peer(name, true, probe(NOW.minusSeconds(5), "\"east-2\":\"" + seen + "\""));
    }

    @Test
    void aNodeAloneInItsUnitHasNoPeersToAsk() {
        assertThat(PeerVerdict.judge("east-2", "east", List.of(), NOW).kind()).isEqualTo(Kind.NO_PEERS);
    }

    @Test
    void aStrictMajorityOfOnlinePeersThatCannotReachTheNodeMakesItDead() {
        PeerVerdict v = PeerVerdict.judge("east-2", "east",
                List.of(online("east-1", "Unreachable"), online("east-3", "Unreachable"), online("east-4", "Reachable")), NOW);
        assertThat(v.kind()).isEqualTo(Kind.DEAD);
        assertThat(v.message()).isEqualTo("2 of 3 peer(s) that reach the cloud cannot reach east-2 over the unit LAN either.");
    }

    @Test
    void aTieIsNoMajoritySoTheNodeIsPartitioned() {
        PeerVerdict v = PeerVerdict.judge("east-2", "east", List.of(online("east-1", "Unreachable"), online("east-3", "Reachable")), NOW);
        assertThat(v.kind()).isEqualTo(Kind.PARTITIONED);
        assertThat(v.message()).isEqualTo("1 of 2 peer(s) that reach the cloud still reach east-2 over the unit LAN.");
    }

    @Test
    void peersThatAreThemselvesCutOffDoNotCountSoAWholeUnitCutIsAPartition() {
        Peer cutOff = new Peer("east-1", false, probe(NOW.minusSeconds(5), "\"east-2\":\"Unreachable\""));
        PeerVerdict v = PeerVerdict.judge("east-2", "east", List.of(cutOff), NOW);
        assertThat(v.kind()).isEqualTo(Kind.PARTITIONED);
        assertThat(v.message()).startsWith("None of its 1 peer(s) in unit east reaches the cloud");
    }

    @Test
    void staleUnreadableOrSilentReportsAreNotCounted() {
        Peer stale = new Peer("east-1", true, probe(NOW.minus(PeerVerdict.REPORT_MAX_AGE).minusSeconds(1), "\"east-2\":\"Unreachable\""));
        Peer garbage = new Peer("east-3", true, "not json");
        Peer silent = new Peer("east-4", true, probe(NOW, "\"east-9\":\"Unreachable\""));
        Peer none = new Peer("east-5", true, null);
        Peer odd = new Peer("east-6", true, probe(NOW, "\"east-2\":\"Maybe\""));
        assertThat(PeerVerdict.judge("east-2", "east", List.of(stale, garbage, silent, none, odd), NOW).kind())
                .isEqualTo(Kind.PARTITIONED);
        Peer fresh = new Peer("east-1", true, probe(NOW.minus(PeerVerdict.REPORT_MAX_AGE), "\"east-2\":\"Unreachable\""));
        assertThat(PeerVerdict.judge("east-2", "east", List.of(fresh, garbage), NOW).kind()).isEqualTo(Kind.DEAD);
    }
}
