package io.kedge.e2e.edge;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;

/** Whether a Node or a Pod says Ready=True, for the bed tests' waits; what is absent or has no status is not ready. */
final class Readiness {
    private Readiness() {}

    static boolean ready(Node n) {
        return n != null && n.getStatus() != null && n.getStatus().getConditions() != null && n.getStatus().getConditions()
                .stream().anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True"));
    }

    static boolean podReady(Pod p) {
        return p != null && p.getStatus() != null && p.getStatus().getConditions() != null && p.getStatus().getConditions()
                .stream().anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True"));
    }
}
