package io.kedge.controllers.nodes;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An EdgeUnit's {@code spec.autonomy}, read when a cut-off node's policy asks. That happens only for
 * silent edge nodes, about once a minute each, so a read beats watching every unit all the time.
 */
final class UnitAutonomy implements Function<String, Optional<String>> {
    private static final Logger LOG = LoggerFactory.getLogger(UnitAutonomy.class);
    private final KubernetesClient client;

    UnitAutonomy(KubernetesClient client) {
        this.client = client;
    }

    @Override
    public Optional<String> apply(String unit) {
        try {
            GenericKubernetesResource u = client.genericKubernetesResources("edge.kedge.io/v1alpha1", "EdgeUnit")
                    .withName(unit).get();
            Object spec = u == null ? null : u.getAdditionalProperties().get("spec");
            Object autonomy = spec instanceof Map<?, ?> m ? m.get("autonomy") : null;
            return autonomy == null ? Optional.empty() : Optional.of(autonomy.toString());
        } catch (KubernetesClientException e) {
            // the node keeps the default autonomy until the unit can be read
            LOG.warn("cannot read EdgeUnit {} for its autonomy: {}", unit, e.getMessage());
            return Optional.empty();
        }
    }
}
