package io.kedge.kubelet.node;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;

/**
 * The node's heartbeat: {@code kube-node-lease/<node>}, held by the node, 40 s long, renewed on
 * each call, and owned by the Node so that it goes when the Node goes.
 */
final class NodeLease {
    static final String NAMESPACE = "kube-node-lease";

    private final KubernetesClient client;
    private final String nodeName;
    private final Clock clock;

    NodeLease(KubernetesClient client, String nodeName, Clock clock) {
        this.client = client;
        this.nodeName = nodeName;
        this.clock = clock;
    }

    /** Creates or renews the Lease of {@code node}; the caller retries on the next tick when this throws. */
    void renew(Node node) {
        ZonedDateTime now = ZonedDateTime.now(clock).withZoneSameInstant(ZoneOffset.UTC);
        var leases = client.leases().inNamespace(NAMESPACE);
        Lease current = leases.withName(nodeName).get();
        if (current == null) {
            try {
                leases.resource(new LeaseBuilder()
                        .withNewMetadata().withName(nodeName).withNamespace(NAMESPACE)
                        .withOwnerReferences(new OwnerReferenceBuilder().withApiVersion("v1").withKind("Node")
                                .withName(nodeName).withUid(node.getMetadata().getUid()).build())
                        .endMetadata()
                        .withNewSpec().withHolderIdentity(nodeName)
                        .withLeaseDurationSeconds((int) NodeSettings.LEASE_DURATION.toSeconds())
                        .withRenewTime(now).endSpec().build()).create();
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409) {
                    throw e;
                }
                // made meanwhile (by this node's previous life, through a slow request): renewed next tick
            }
            return;
        }
        LeaseBuilder renewed = new LeaseBuilder(current).editOrNewSpec().withHolderIdentity(nodeName)
                .withLeaseDurationSeconds((int) NodeSettings.LEASE_DURATION.toSeconds()).withRenewTime(now).endSpec();
        boolean owned = current.getMetadata().getOwnerReferences() != null && current.getMetadata().getOwnerReferences().stream()
                .anyMatch(r -> "Node".equals(r.getKind()) && node.getMetadata().getUid().equals(r.getUid()));
        if (!owned) {
            // a Lease left by an earlier Node of the same name: point it at this one
            renewed.editMetadata().withOwnerReferences(new OwnerReferenceBuilder().withApiVersion("v1").withKind("Node")
                    .withName(nodeName).withUid(node.getMetadata().getUid()).build()).endMetadata();
        }
        leases.resource(renewed.build()).update();
    }
}
