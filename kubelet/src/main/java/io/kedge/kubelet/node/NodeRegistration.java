package io.kedge.kubelet.node;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts the node's Node object in place: creates it, or, when it exists (an agent restart, or a
 * Node made by hand), sets the labels the agent owns and leaves everything else as it is.
 */
final class NodeRegistration {
    private static final Logger LOG = LoggerFactory.getLogger(NodeRegistration.class);
    static final String UNIT_LABEL = "kedge.io/unit";
    static final String EDGE_LABEL = "kedge.io/edge";

    private final KubernetesClient client;
    private final String nodeName;
    private final Map<String, String> labels;

    NodeRegistration(KubernetesClient client, NodeSettings settings, String architecture) {
        this.client = client;
        this.nodeName = settings.nodeName();
        Map<String, String> l = new LinkedHashMap<>();
        l.put("kubernetes.io/arch", architecture);
        l.put("kubernetes.io/os", "linux");
        l.put("kubernetes.io/hostname", settings.nodeName());
        l.put(EDGE_LABEL, "true");
        l.put(UNIT_LABEL, settings.unit());
        this.labels = Map.copyOf(l);
    }

    Map<String, String> labels() {
        return labels;
    }

    /** The registered Node as the server has it. */
    Node register(NodeStatus status) {
        Node existing = client.nodes().withName(nodeName).get();
        if (existing == null) {
            try {
                Node created = client.nodes().resource(new NodeBuilder().withNewMetadata().withName(nodeName).withLabels(labels)
                        .endMetadata().withNewSpec().endSpec().withStatus(status).build()).create();
                LOG.info("registered node {}", nodeName);
                return created;
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409) {
                    throw e;
                }
                existing = client.nodes().withName(nodeName).require();
            }
        }
        Map<String, String> current = existing.getMetadata().getLabels() == null ? Map.of() : existing.getMetadata().getLabels();
        if (current.entrySet().containsAll(labels.entrySet())) {
            return existing;
        }
        LOG.info("node {} exists; setting its labels {}", nodeName, labels);
        return client.nodes().withName(nodeName).patch(PatchContext.of(PatchType.JSON_MERGE),
                Serialization.asJson(Map.of("metadata", Map.of("labels", labels))));
    }
}
