package io.kedge.controllers.scheduler;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a pod asks of a node, computed the way kube-scheduler does: containers run side by side and
 * add up, init containers run one at a time and count at their peak, sidecars (init containers
 * with restartPolicy Always) keep running and add to both, and the pod overhead comes on top.
 */
final class PodRequests {
    /** Stand-ins for containers that request nothing, so that scoring still spreads them (upstream's values). */
    static final long DEFAULT_MILLI_CPU = 100;
    static final long DEFAULT_MEMORY = 200L * 1024 * 1024;

    private PodRequests() {}

    static Resources of(PodSpec spec, String podName) {
        return compute(spec, podName, false);
    }

    /** Like {@link #of}, but a container without a cpu or memory request counts with the defaults. */
    static Resources nonZero(PodSpec spec, String podName) {
        return compute(spec, podName, true);
    }

    private static Resources compute(PodSpec spec, String podName, boolean nonZero) {
        Resources total = new Resources();
        for (Container c : list(spec.getContainers())) {
            total.add(container(c, podName, nonZero), 1);
        }
        Resources sidecars = new Resources();
        Resources initPeak = new Resources();
        for (Container c : list(spec.getInitContainers())) {
            Resources r = container(c, podName, nonZero);
            if ("Always".equals(c.getRestartPolicy())) {
                total.add(r, 1);
                sidecars.add(r, 1);
                initPeak.max(sidecars);
            } else {
                Resources whileRunning = r.copy();
                whileRunning.add(sidecars, 1);
                initPeak.max(whileRunning);
            }
        }
        total.max(initPeak);
        ResourceRequirements podLevel = spec.getResources();
        if (podLevel != null) {
            Resources declared = Resources.of(requestsOrLimits(podLevel), "pod " + podName + " resources");
            Map<String, Quantity> named = requestsOrLimits(podLevel);
            if (named.containsKey("cpu")) {
                total.milliCpu = declared.milliCpu;
            }
            if (named.containsKey("memory")) {
                total.memory = declared.memory;
            }
        }
        if (spec.getOverhead() != null && !spec.getOverhead().isEmpty()) {
            total.add(Resources.of(spec.getOverhead(), "pod " + podName + " overhead"), 1);
        }
        return total;
    }

    private static Resources container(Container c, String podName, boolean nonZero) {
        Map<String, Quantity> asked = c.getResources() == null ? Map.of() : requestsOrLimits(c.getResources());
        Resources r = Resources.of(asked, "pod " + podName + " container " + c.getName() + " request");
        if (nonZero) {
            if (!asked.containsKey("cpu")) {
                r.milliCpu = DEFAULT_MILLI_CPU;
            }
            if (!asked.containsKey("memory")) {
                r.memory = DEFAULT_MEMORY;
            }
        }
        return r;
    }

    /** A limit without a request means a request of the same size: the API server defaults it so. */
    private static Map<String, Quantity> requestsOrLimits(ResourceRequirements rr) {
        Map<String, Quantity> out = new LinkedHashMap<>();
        if (rr.getLimits() != null) {
            out.putAll(rr.getLimits());
        }
        if (rr.getRequests() != null) {
            out.putAll(rr.getRequests());
        }
        return out;
    }

    private static <T> List<T> list(List<T> l) {
        return l == null ? List.of() : l;
    }
}
