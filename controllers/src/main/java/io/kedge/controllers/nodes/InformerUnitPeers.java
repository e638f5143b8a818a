package io.kedge.controllers.nodes;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.kedge.controllers.framework.Informers;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A node's unit peers and their probe reports, as the shared Node and Lease informers hold them. */
final class InformerUnitPeers implements EdgeAutonomyPolicy.UnitPeers {
    static final String BY_UNIT = "kedge.io/unit";
    private final SharedIndexInformer<Node> nodes;
    private final SharedIndexInformer<Lease> leases;
    /** Decides whether a peer reaches the cloud: Ready and heard from within the grace period. */
    private final GracePeriodHealthPolicy cloudReach;

    InformerUnitPeers(SharedIndexInformer<Node> nodes, SharedIndexInformer<Lease> leases, GracePeriodHealthPolicy cloudReach) {
        this.nodes = nodes;
        this.leases = leases;
        this.cloudReach = cloudReach;
        Informers.ensureIndex(nodes, BY_UNIT, n -> {
            String unit = unitOf(n);
            return unit == null ? List.of() : List.of(unit);
        });
    }

    @Override
    public PeerVerdict judge(Node node, Instant now) {
        String unit = unitOf(node);
        if (unit == null) {
            return PeerVerdict.NO_PEERS;
        }
        String name = node.getMetadata().getName();
        List<PeerVerdict.Peer> peers = new ArrayList<>();
        for (Node peer : nodes.getIndexer().byIndex(BY_UNIT, unit)) {
            String peerName = peer.getMetadata().getName();
            if (peerName.equals(name)) {
                continue;
            }
            Lease lease = leases.getIndexer().getByKey(NodeLifecycleController.NODE_LEASE_NAMESPACE + "/" + peerName);
            boolean reachesCloud = cloudReach.decide(peer, lease, now).health() == NodeHealthPolicy.Health.HEALTHY;
            Map<String, String> annotations = peer.getMetadata().getAnnotations();
            peers.add(new PeerVerdict.Peer(peerName, reachesCloud,
                    annotations == null ? null : annotations.get(PeerVerdict.PEER_PROBE_ANNOTATION)));
        }
        return PeerVerdict.judge(name, unit, peers, now);
    }

    static String unitOf(Node node) {
        Map<String, String> labels = node.getMetadata().getLabels();
        String unit = labels == null ? null : labels.get(EdgeAutonomyPolicy.UNIT_LABEL);
        return unit == null || unit.isEmpty() ? null : unit;
    }
}
