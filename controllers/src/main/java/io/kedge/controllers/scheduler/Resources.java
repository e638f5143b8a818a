package io.kedge.controllers.scheduler;

import io.fabric8.kubernetes.api.model.Quantity;
import java.util.HashMap;
import java.util.Map;

/**
 * A vector of schedulable resources: cpu in millicores, memory and ephemeral storage in bytes, an
 * allowed pod count (for allocatable only) and scalar resources (extended resources, hugepages).
 */
final class Resources {
    long milliCpu;
    long memory;
    long ephemeralStorage;
    long pods;
    /** Null until a scalar resource shows up: most pods and nodes have none. */
    Map<String, Long> scalar;

    /** Reads a resource list; {@code what} names it in error messages. Unknown names are ignored like upstream. */
    static Resources of(Map<String, Quantity> list, String what) {
        Resources r = new Resources();
        if (list == null) {
            return r;
        }
        for (Map.Entry<String, Quantity> e : list.entrySet()) {
            r.set(e.getKey(), e.getValue(), what);
        }
        return r;
    }

    private void set(String name, Quantity q, String what) {
        String label = what + " " + name;
        switch (name) {
            case "cpu" -> milliCpu = Quantities.milliValue(q, label);
            case "memory" -> memory = Quantities.value(q, label);
            case "ephemeral-storage" -> ephemeralStorage = Quantities.value(q, label);
            case "pods" -> pods = Quantities.value(q, label);
            default -> {
                if (isScalar(name)) {
                    scalar().put(name, Quantities.value(q, label));
                }
            }
        }
    }

    /** Extended resources (domain-prefixed names), hugepages and attachable volumes are counted; other names are not. */
    static boolean isScalar(String name) {
        return name.indexOf('/') >= 0 || name.startsWith("hugepages-") || name.startsWith("attachable-volumes-");
    }

    Map<String, Long> scalar() {
        if (scalar == null) {
            scalar = new HashMap<>();
        }
        return scalar;
    }

    long scalar(String name) {
        return scalar == null ? 0 : scalar.getOrDefault(name, 0L);
    }

    void add(Resources o, int sign) {
        milliCpu += sign * o.milliCpu;
        memory += sign * o.memory;
        ephemeralStorage += sign * o.ephemeralStorage;
        pods += sign * o.pods;
        if (o.scalar != null) {
            for (Map.Entry<String, Long> e : o.scalar.entrySet()) {
                scalar().merge(e.getKey(), sign * e.getValue(), Long::sum);
            }
        }
    }

    /** Takes the larger value in each dimension: init containers run one after another, not side by side. */
    void max(Resources o) {
        milliCpu = Math.max(milliCpu, o.milliCpu);
        memory = Math.max(memory, o.memory);
        ephemeralStorage = Math.max(ephemeralStorage, o.ephemeralStorage);
        if (o.scalar != null) {
            for (Map.Entry<String, Long> e : o.scalar.entrySet()) {
                scalar().merge(e.getKey(), e.getValue(), Math::max);
            }
        }
    }

    Resources copy() {
        Resources r = new Resources();
        r.add(this, 1);
        return r;
    }
}
