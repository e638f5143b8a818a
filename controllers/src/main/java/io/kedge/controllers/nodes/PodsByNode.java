package io.kedge.controllers.nodes;

import io.kedge.controllers.framework.Informers;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.List;

/** An index of the shared pod informer by the node a pod is bound to. */
public final class PodsByNode {
    public static final String INDEX = "kedge.io/spec.nodeName";

    private PodsByNode() {}

    public static void register(SharedIndexInformer<Pod> pods) {
        Informers.ensureIndex(pods, INDEX, p -> {
            String node = p.getSpec() == null ? null : p.getSpec().getNodeName();
            return node == null || node.isEmpty() ? List.of() : List.of(node);
        });
    }

    public static List<Pod> on(SharedIndexInformer<Pod> pods, String node) {
        return pods.getIndexer().byIndex(INDEX, node);
    }
}
