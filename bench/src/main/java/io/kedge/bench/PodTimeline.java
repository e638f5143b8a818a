package io.kedge.bench;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * When each pod of one namespace was first seen and first seen bound (spec.nodeName set), by a watch
 * in this JVM: the moment a client of the API could know it, which is what the benchmarks time.
 */
final class PodTimeline implements AutoCloseable {
    private final Map<String, Long> created = new ConcurrentHashMap<>();
    private final Map<String, Long> bound = new ConcurrentHashMap<>();
    private final SharedIndexInformer<Pod> informer;

    PodTimeline(KubernetesClient client, String namespace) {
        informer = client.pods().inNamespace(namespace).inform(new ResourceEventHandler<>() {
            @Override public void onAdd(Pod p) { seen(p); }
            @Override public void onUpdate(Pod old, Pod p) { seen(p); }
            @Override public void onDelete(Pod p, boolean unknown) { }
        });
    }

    private void seen(Pod p) {
        long now = System.nanoTime();
        created.putIfAbsent(p.getMetadata().getName(), now);
        String node = p.getSpec() == null ? null : p.getSpec().getNodeName();
        if (node != null && !node.isEmpty()) {
            bound.putIfAbsent(p.getMetadata().getName(), now);
        }
    }

    int createdCount() {
        return created.size();
    }

    int boundCount() {
        return bound.size();
    }

    /** {@link System#nanoTime} of the last pod's first sighting; {@code Long.MIN_VALUE} while there is none. */
    long lastCreated() {
        return created.values().stream().mapToLong(Long::longValue).max().orElse(Long.MIN_VALUE);
    }

    long firstBound() {
        return bound.values().stream().mapToLong(Long::longValue).min().orElse(Long.MIN_VALUE);
    }

    long lastBound() {
        return bound.values().stream().mapToLong(Long::longValue).max().orElse(Long.MIN_VALUE);
    }

    @Override
    public void close() {
        informer.close();
    }
}
