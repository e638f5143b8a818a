package io.kedge.kubelet.pod;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.kedge.kubelet.cri.v1.LinuxContainerResources;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A container's requests and limits as cgroup settings, the way upstream maps them: CPU requests
 * become cpu shares (1024 per core), CPU limits a CFS quota over a 100ms period, the memory limit
 * the memory limit, and the pod's QoS class the OOM score adjustment.
 */
final class ResourceLimits {
    static final long CPU_PERIOD_MICROS = 100_000;
    static final long MIN_SHARES = 2;
    static final long MAX_SHARES = 262_144;
    static final long MIN_QUOTA_MICROS = 1_000;
    static final int GUARANTEED_OOM_SCORE_ADJ = -997;
    static final int BEST_EFFORT_OOM_SCORE_ADJ = 1000;

    private ResourceLimits() {
    }

    static LinuxContainerResources forContainer(Pod pod, Container c, long nodeMemoryBytes) {
        LinuxContainerResources.Builder r = LinuxContainerResources.newBuilder();
        long cpuRequest = milliCpu(request(c, "cpu"));
        long cpuLimit = milliCpu(limit(c, "cpu"));
        r.setCpuShares(cpuRequest == 0 ? MIN_SHARES : Math.min(MAX_SHARES, Math.max(MIN_SHARES, cpuRequest * 1024 / 1000)));
        if (cpuLimit > 0) {
            r.setCpuPeriod(CPU_PERIOD_MICROS);
            r.setCpuQuota(Math.max(MIN_QUOTA_MICROS, cpuLimit * CPU_PERIOD_MICROS / 1000));
        }
        long memoryLimit = bytes(limit(c, "memory"));
        if (memoryLimit > 0) {
            r.setMemoryLimitInBytes(memoryLimit);
        }
        r.setOomScoreAdj(oomScoreAdj(pod, c, nodeMemoryBytes));
        return r.build();
    }

    static int oomScoreAdj(Pod pod, Container c, long nodeMemoryBytes) {
        switch (qosClass(pod)) {
            case "Guaranteed":
                return GUARANTEED_OOM_SCORE_ADJ;
            case "BestEffort":
                return BEST_EFFORT_OOM_SCORE_ADJ;
            default:
                long memoryRequest = bytes(request(c, "memory"));
                long adj = nodeMemoryBytes <= 0 ? 999 : 1000 - (1000 * memoryRequest) / nodeMemoryBytes;
                // burstable containers always rank between guaranteed and best-effort ones
                return (int) Math.max(1000 + GUARANTEED_OOM_SCORE_ADJ, Math.min(BEST_EFFORT_OOM_SCORE_ADJ - 1, adj));
        }
    }

    /** Guaranteed, Burstable or BestEffort, from the cpu and memory requests and limits of all containers. */
    static String qosClass(Pod pod) {
        List<Container> all = new ArrayList<>();
        if (pod.getSpec().getInitContainers() != null) {
            all.addAll(pod.getSpec().getInitContainers());
        }
        if (pod.getSpec().getContainers() != null) {
            all.addAll(pod.getSpec().getContainers());
        }
        boolean any = false;
        boolean guaranteed = !all.isEmpty();
        for (Container c : all) {
            for (String resource : List.of("cpu", "memory")) {
                Quantity request = request(c, resource);
                Quantity limit = limit(c, resource);
                any |= request != null || limit != null;
                if (limit == null || (request != null && amount(request).compareTo(amount(limit)) != 0)) {
                    guaranteed = false;
                }
            }
        }
        if (!any) {
            return "BestEffort";
        }
        return guaranteed ? "Guaranteed" : "Burstable";
    }

    /** A missing request defaults to the limit, as the API server's defaulting does. */
    private static Quantity request(Container c, String resource) {
        ResourceRequirements r = c.getResources();
        if (r == null) {
            return null;
        }
        Quantity q = get(r.getRequests(), resource);
        return q != null ? q : get(r.getLimits(), resource);
    }

    private static Quantity limit(Container c, String resource) {
        ResourceRequirements r = c.getResources();
        return r == null ? null : get(r.getLimits(), resource);
    }

    private static Quantity get(Map<String, Quantity> m, String resource) {
        return m == null ? null : m.get(resource);
    }

    private static BigDecimal amount(Quantity q) {
        try {
            return Quantity.getAmountInBytes(q);
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw new IllegalArgumentException("resource quantity \"" + q + "\" is not a valid quantity", e);
        }
    }

    private static long milliCpu(Quantity q) {
        return q == null ? 0 : amount(q).multiply(BigDecimal.valueOf(1000)).setScale(0, RoundingMode.CEILING).longValueExact();
    }

    private static long bytes(Quantity q) {
        return q == null ? 0 : amount(q).setScale(0, RoundingMode.CEILING).longValueExact();
    }
}
