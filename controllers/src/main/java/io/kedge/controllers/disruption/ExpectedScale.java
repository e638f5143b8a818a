package io.kedge.controllers.disruption;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * How many pods the budget's pods should number: the sum of {@code spec.replicas} of the
 * workloads that control them (a Deployment through its ReplicaSet, a ReplicaSet of its own, a
 * StatefulSet), each workload counted once.
 */
final class ExpectedScale {
    /** @param unmanaged pods without a controller, which no scale accounts for */
    record Result(int expected, List<String> unmanaged) {}

    /** Looks a workload up by "namespace/name"; null when it is not known. */
    interface Lookup {
        Deployment deployment(String key);

        ReplicaSet replicaSet(String key);

        StatefulSet statefulSet(String key);
    }

    private final Lookup lookup;

    ExpectedScale(Lookup lookup) {
        this.lookup = lookup;
    }

    /** @throws IllegalStateException naming the pod whose controller is none of the workloads known here */
    Result of(List<Pod> pods) {
        Map<String, Integer> scaleByWorkload = new HashMap<>();
        List<String> unmanaged = new ArrayList<>();
        for (Pod pod : pods) {
            OwnerReference ref = controllerOf(pod.getMetadata());
            if (ref == null) {
                unmanaged.add(pod.getMetadata().getName());
                continue;
            }
            if (scaleByWorkload.containsKey(ref.getUid())) {
                continue;
            }
            Scaled found = find(pod.getMetadata().getNamespace(), ref);
            if (found == null) {
                throw new IllegalStateException("found no controllers for pod \"" + pod.getMetadata().getName() + "\"");
            }
            // the pod's ReplicaSet is marked seen; the scale counted is that of the workload found, once
            scaleByWorkload.put(ref.getUid(), 0);
            scaleByWorkload.put(found.uid(), found.replicas());
        }
        int expected = 0;
        for (Map.Entry<String, Integer> e : scaleByWorkload.entrySet()) {
            expected += e.getValue();
        }
        return new Result(expected, List.copyOf(unmanaged));
    }

    private record Scaled(String uid, int replicas) {}

    private Scaled find(String namespace, OwnerReference ref) {
        if (!isApps(ref)) {
            return null;
        }
        String key = namespace + "/" + ref.getName();
        return switch (ref.getKind()) {
            case "ReplicaSet" -> replicaSetOrItsDeployment(namespace, ref, lookup.replicaSet(key));
            case "StatefulSet" -> same(lookup.statefulSet(key), ref, s -> s.getSpec() == null ? null : s.getSpec().getReplicas());
            default -> null;
        };
    }

    /** A ReplicaSet a Deployment controls is scaled by the Deployment, not by its own (transient) count. */
    private Scaled replicaSetOrItsDeployment(String namespace, OwnerReference ref, ReplicaSet rs) {
        if (rs == null || !java.util.Objects.equals(ref.getUid(), rs.getMetadata().getUid())) {
            return null;
        }
        OwnerReference up = controllerOf(rs.getMetadata());
        if (up != null && "Deployment".equals(up.getKind()) && isApps(up)) {
            return same(lookup.deployment(namespace + "/" + up.getName()), up, d -> d.getSpec() == null ? null : d.getSpec().getReplicas());
        }
        return same(rs, ref, r -> r.getSpec() == null ? null : r.getSpec().getReplicas());
    }

    private static <T extends HasMetadata> Scaled same(T workload, OwnerReference ref, Function<T, Integer> replicas) {
        if (workload == null || !java.util.Objects.equals(ref.getUid(), workload.getMetadata().getUid())) {
            return null;
        }
        Integer n = replicas.apply(workload);
        return new Scaled(workload.getMetadata().getUid(), n == null ? 1 : n);
    }

    private static boolean isApps(OwnerReference ref) {
        return ref.getApiVersion() != null && ref.getApiVersion().startsWith("apps/");
    }

    static OwnerReference controllerOf(io.fabric8.kubernetes.api.model.ObjectMeta meta) {
        if (meta.getOwnerReferences() == null) {
            return null;
        }
        for (OwnerReference ref : meta.getOwnerReferences()) {
            if (Boolean.TRUE.equals(ref.getController())) {
                return ref;
            }
        }
        return null;
    }
}
