package io.kedge.controllers.sets;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.time.Instant;
import java.util.Map;

/** Pods and nodes in given states, for the plan tests that need no server. */
final class Fixtures {
    static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");

    private Fixtures() {}

    static Node node(String name) {
        return new NodeBuilder().withNewMetadata().withName(name).endMetadata().withNewSpec().endSpec().build();
    }

    /** A pod on a node, with the given revision label, Running and Ready if {@code ready}. */
    static Pod pod(String name, String node, String revision, boolean ready) {
        return new PodBuilder().withNewMetadata().withName(name).withNamespace("ns")
                .withLabels(Map.of(Revisions.POD_LABEL, revision)).withCreationTimestamp("2026-01-01T11:00:00Z").endMetadata()
                .withNewSpec().withNodeName(node).endSpec()
                .withNewStatus().withPhase(ready ? "Running" : "Pending")
                .addNewCondition().withType("Ready").withStatus(ready ? "True" : "False")
                .withLastTransitionTime("2026-01-01T11:00:00Z").endCondition().endStatus().build();
    }

    static Pod terminating(Pod p) {
        p.getMetadata().setDeletionTimestamp("2026-01-01T11:59:00Z");
        return p;
    }
}
