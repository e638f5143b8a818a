package io.kedge.apiserver.authz;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kedge.apiserver.registry.ResourceType;
import io.kedge.apiserver.storage.CacheHub;
import io.kedge.apiserver.storage.CacheListener;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * Which pods are bound to which node, and what each needs, fed by the pod watch cache. A node's
 * question ("may I read secret a/s?") then looks only at that node's own pods.
 */
public final class NodeGraph {
    private final Map<String, PodReferences> pods = new ConcurrentHashMap<>();
    private final Map<String, Map<String, PodReferences>> byNode = new ConcurrentHashMap<>();

    /** Follows the pod cache; the listener first receives every current pod. */
    public void follow(CacheHub hub, ResourceType podType) {
        hub.cacheFor(podType).watch(new CacheListener(this::put, this::remove), -1, hub.revision(), false);
    }

    public synchronized void put(ObjectNode pod) {
        PodReferences now = PodReferences.of(pod);
        PodReferences before = pods.put(now.key(), now);
        if (before != null && !before.nodeName().equals(now.nodeName())) {
            unindex(before);
        }
        if (!now.nodeName().isEmpty()) {
            byNode.computeIfAbsent(now.nodeName(), n -> new ConcurrentHashMap<>()).put(now.key(), now);
        }
    }

    public synchronized void remove(ObjectNode pod) {
        PodReferences gone = pods.remove(PodReferences.of(pod).key());
        if (gone != null) {
            unindex(gone);
        }
    }

    private void unindex(PodReferences p) {
        Map<String, PodReferences> onNode = byNode.get(p.nodeName());
        if (onNode != null) {
            onNode.remove(p.key());
            if (onNode.isEmpty()) {
                byNode.remove(p.nodeName());
            }
        }
    }

    public Optional<PodReferences> pod(String namespace, String name) {
        return Optional.ofNullable(pods.get(namespace + "/" + name));
    }

    /** Whether some pod bound to {@code node} in {@code namespace} satisfies {@code uses}. */
    public boolean anyPodOn(String node, String namespace, Predicate<PodReferences> uses) {
        Map<String, PodReferences> onNode = byNode.get(node);
        if (onNode == null) {
            return false;
        }
        for (PodReferences p : onNode.values()) {
            if (p.namespace().equals(namespace) && uses.test(p)) {
                return true;
            }
        }
        return false;
    }
}
