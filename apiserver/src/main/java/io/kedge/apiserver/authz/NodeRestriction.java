package io.kedge.apiserver.authz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kedge.api.ApiException;
import io.kedge.api.Meta;
import io.kedge.apiserver.registry.Admission;
import io.kedge.apiserver.registry.ResourceType;
import io.kedge.apiserver.registry.WriteOptions;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;

/**
 * What the node authorizer cannot see, because it lies in the body: a node registers and changes
 * only itself, never sets {@code node-restriction.kubernetes.io/} labels, sets {@code kedge.io/unit}
 * only when it registers, creates only mirror pods bound to itself (and naming no secrets, config
 * maps, claims or service account tokens), and writes only its own lease.
 */
public final class NodeRestriction implements Admission {
    public static final String MIRROR_ANNOTATION = "kubernetes.io/config.mirror";
    static final String UNIT_LABEL = "kedge.io/unit";

    @Override
    public void admitCreate(ResourceType t, ObjectNode obj, WriteOptions opts) {
        Optional<String> node = NodeIdentity.nodeName(opts.user());
        if (node.isEmpty()) {
            return;
        }
        switch (t.group() + "/" + t.plural()) {
            case "/nodes" -> {
                requireSelf(t, node.get(), Meta.name(obj));
                TreeSet<String> restricted = new TreeSet<>();
                Meta.labels(obj).keySet().stream().filter(NodeRestriction::restrictedAlways).forEach(restricted::add);
                if (!restricted.isEmpty()) {
                    throw forbidden(t, Meta.name(obj), "node \"" + node.get()
                            + "\" is not allowed to set the following labels: " + String.join(", ", restricted));
                }
            }
            case "/pods" -> admitMirrorPod(t, node.get(), obj);
            case "coordination.k8s.io/leases" -> requireOwnLease(t, node.get(), obj);
            default -> { }
        }
    }

    @Override
    public void admitUpdate(ResourceType t, ObjectNode obj, ObjectNode old, WriteOptions opts) {
        Optional<String> node = NodeIdentity.nodeName(opts.user());
        if (node.isEmpty()) {
            return;
        }
        switch (t.group() + "/" + t.plural()) {
            case "/nodes" -> {
                requireSelf(t, node.get(), Meta.name(old));
                Map<String, String> before = Meta.labels(old);
                Map<String, String> after = Meta.labels(obj);
                TreeSet<String> changed = new TreeSet<>();
                for (String key : union(before, after)) {
                    if ((restrictedAlways(key) || key.equals(UNIT_LABEL)) && !Objects.equals(before.get(key), after.get(key))) {
                        changed.add(key);
                    }
                }
                if (!changed.isEmpty()) {
                    throw forbidden(t, Meta.name(old), "node \"" + node.get() + "\" is not allowed to modify labels: "
                            + String.join(", ", changed));
                }
            }
            case "coordination.k8s.io/leases" -> requireOwnLease(t, node.get(), old);
            default -> { }
        }
    }

    private static TreeSet<String> union(Map<String, String> a, Map<String, String> b) {
        TreeSet<String> keys = new TreeSet<>(a.keySet());
        keys.addAll(b.keySet());
        return keys;
    }

    private static boolean restrictedAlways(String labelKey) {
        int slash = labelKey.indexOf('/');
        String prefix = slash < 0 ? "" : labelKey.substring(0, slash);
        return prefix.equals("node-restriction.kubernetes.io") || prefix.endsWith(".node-restriction.kubernetes.io");
    }

    private static void requireSelf(ResourceType t, String node, String target) {
        if (!node.equals(target)) {
            throw forbidden(t, target, "node \"" + node + "\" is not allowed to modify node \"" + target + "\"");
        }
    }

    private static void requireOwnLease(ResourceType t, String node, JsonNode lease) {
        if (!node.equals(Meta.name(lease))) {
            throw forbidden(t, Meta.name(lease), "can only access node lease with the same name as the requesting node");
        }
    }

    private static void admitMirrorPod(ResourceType t, String node, ObjectNode pod) {
        String name = Meta.name(pod);
        if (!Meta.metadata(pod).path("annotations").has(MIRROR_ANNOTATION)) {
            throw forbidden(t, name, "pod does not have \"" + MIRROR_ANNOTATION + "\" annotation, node \"" + node
                    + "\" can only create mirror pods");
        }
        if (!node.equals(pod.path("spec").path("nodeName").asText(""))) {
            throw forbidden(t, name, "node \"" + node + "\" can only create pods with spec.nodeName set to itself");
        }
        PodReferences refs = PodReferences.of(pod);
        if (!refs.secrets().isEmpty()) {
            throw forbidden(t, name, "node \"" + node + "\" can not create pods that reference secrets");
        }
        if (!refs.configMaps().isEmpty()) {
            throw forbidden(t, name, "node \"" + node + "\" can not create pods that reference configmaps");
        }
        if (!refs.claims().isEmpty()) {
            throw forbidden(t, name, "node \"" + node + "\" can not create pods that reference persistentvolumeclaims");
        }
    }

    private static ApiException forbidden(ResourceType t, String name, String why) {
        return ApiException.forbidden(t.group(), t.plural(), name, why);
    }
}
