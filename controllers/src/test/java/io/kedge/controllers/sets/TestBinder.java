package io.kedge.controllers.sets;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.Map;

/**
 * TEST STAND-IN FOR THE SCHEDULER, nothing more: binds each pending pod that is pinned to one node
 * by required node affinity on {@code metadata.name} (as DaemonSet pods are) to that node, through
 * the pods/binding subresource, as the scheduler would. It checks nothing else.
 */
final class TestBinder implements AutoCloseable {
    private final KubernetesClient client;
    private SharedIndexInformer<Pod> pods;

    TestBinder(KubernetesClient client) {
        this.client = client;
    }

    TestBinder start() {
        pods = client.pods().inAnyNamespace().inform(new ResourceEventHandler<>() {
            @Override public void onAdd(Pod p) { bind(p); }
            @Override public void onUpdate(Pod o, Pod p) { bind(p); }
            @Override public void onDelete(Pod p, boolean unknown) { }
        });
        return this;
    }

    private void bind(Pod p) {
        String bound = p.getSpec().getNodeName();
        String node = DaemonPlacement.targetNode(p);
        if ((bound != null && !bound.isEmpty()) || node == null || p.getMetadata().getDeletionTimestamp() != null) {
            return;
        }
        Map<String, Object> binding = Map.of("apiVersion", "v1", "kind", "Binding",
                "metadata", Map.of("name", p.getMetadata().getName(), "namespace", p.getMetadata().getNamespace()),
                "target", Map.of("apiVersion", "v1", "kind", "Node", "name", node));
        try {
            client.raw(client.getMasterUrl().toString().replaceAll("/$", "") + "/api/v1/namespaces/"
                    + p.getMetadata().getNamespace() + "/pods/" + p.getMetadata().getName() + "/binding", "POST", binding);
        } catch (KubernetesClientException e) {
            // already bound or gone: the next event shows which
        }
    }

    @Override
    public void close() {
        if (pods != null) {
            pods.close();
        }
    }
}
