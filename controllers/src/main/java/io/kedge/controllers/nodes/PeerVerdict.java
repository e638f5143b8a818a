package io.kedge.controllers.nodes;

import com.fasterxml.jackson.databind.JsonNode;
import io.kedge.api.Json;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What a silent edge node's unit peers say about it, from the {@code kedge.io/peer-probe} annotations
 * they publish on their own Node objects. A peer's report counts only while it is recent and only if
 * the peer itself reaches the cloud: a peer cut off with the node cannot tell a dead neighbour from a
 * dark uplink, and a stale report says nothing about now.
 *
 * @param kind    dead, partitioned, or no peers to ask
 * @param message why, for the node's EdgeAutonomy condition
 */
public record PeerVerdict(Kind kind, String message) {
    public static final String PEER_PROBE_ANNOTATION = "kedge.io/peer-probe";
    /**
     * A report older than this is no longer evidence. Agents publish a changed view at once and an
     * unchanged one again every 5 minutes, so a live prober's report is never older than that; the
     * rest is slack for one lost publication.
     */
    public static final Duration REPORT_MAX_AGE = Duration.ofMinutes(11);

    public enum Kind {
        /** The unit has no other member: only the autonomy duration decides. */
        NO_PEERS,
        /** A strict majority of the counted reports cannot reach the node either. */
        DEAD,
        /** The node's unit peers do not agree it is gone: its uplink is, not the node. */
        PARTITIONED
    }

    public static final PeerVerdict NO_PEERS = new PeerVerdict(Kind.NO_PEERS, "The node has no unit peers to ask.");

    /**
     * One other member of the node's unit.
     *
     * @param reachesCloud Ready and with a fresh Lease, so that its report reached us as it was meant
     * @param probe        its {@code kedge.io/peer-probe} annotation, or null
     */
    public record Peer(String name, boolean reachesCloud, String probe) {}

    /** The verdict on {@code node} of unit {@code unit}, from its other members. */
    public static PeerVerdict judge(String node, String unit, List<Peer> peers, Instant now) {
        if (peers.isEmpty()) {
            return NO_PEERS;
        }
        int counted = 0;
        int unreachable = 0;
        for (Peer p : peers) {
            if (!p.reachesCloud()) {
                continue;
            }
            String seen = probeResult(p.probe(), node, now);
            if (seen == null) {
                continue;
            }
            counted++;
            if ("Unreachable".equals(seen)) {
                unreachable++;
            }
        }
        if (counted == 0) {
            return new PeerVerdict(Kind.PARTITIONED, "None of its " + peers.size() + " peer(s) in unit " + unit
                    + " reaches the cloud with a recent probe of " + node + ", so nothing shows the node itself is down.");
        }
        if (unreachable * 2 > counted) {
            return new PeerVerdict(Kind.DEAD, unreachable + " of " + counted + " peer(s) that reach the cloud cannot reach "
                    + node + " over the unit LAN either.");
        }
        return new PeerVerdict(Kind.PARTITIONED, (counted - unreachable) + " of " + counted
                + " peer(s) that reach the cloud still reach " + node + " over the unit LAN.");
    }

    /** "Reachable", "Unreachable", or null when the report is missing, unreadable, stale or silent on the node. */
    static String probeResult(String probe, String node, Instant now) {
        if (probe == null || probe.isBlank()) {
            return null;
        }
        JsonNode report;
        try {
            report = Json.MAPPER.readTree(probe);
        } catch (java.io.IOException e) {
            return null;
        }
        Instant time = Timestamps.parse(report.path("time").asText(null));
        if (time == null || Duration.between(time, now).abs().compareTo(REPORT_MAX_AGE) > 0) {
            return null;
        }
        JsonNode seen = report.path("peers").get(node);
        if (seen == null || !seen.isTextual()) {
            return null;
        }
        String s = seen.asText();
        return "Reachable".equals(s) || "Unreachable".equals(s) ? s : null;
    }
}
