package io.kedge.kubelet.node;

import io.fabric8.kubernetes.api.model.Quantity;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The node's capacity and allocatable. Allocatable is capacity less upstream's default hard
 * eviction thresholds, the same amounts {@link PressureSignals} reports pressure at: 100Mi of
 * memory and 10% of the data dir's disk. No kube- or system-reserved is set aside. Pods are
 * capped at 110, upstream's default.
 */
public final class NodeResources {
    static final long MEMORY_EVICTION_BYTES = 100L * 1024 * 1024;
    static final int DISK_EVICTION_PERCENT = 10;
    static final int MAX_PODS = 110;

    private NodeResources() {
    }

    public static Map<String, Quantity> capacity(MachineInfo machine) {
        Map<String, Quantity> out = new LinkedHashMap<>();
        out.put("cpu", new Quantity(String.valueOf(machine.cpus())));
        out.put("ephemeral-storage", new Quantity(machine.diskBytes() / 1024 + "Ki"));
        out.put("memory", new Quantity(machine.memoryBytes() / 1024 + "Ki"));
        out.put("pods", new Quantity(String.valueOf(MAX_PODS)));
        return out;
    }

    public static Map<String, Quantity> allocatable(MachineInfo machine) {
        Map<String, Quantity> out = new LinkedHashMap<>();
        out.put("cpu", new Quantity(String.valueOf(machine.cpus())));
        long disk = machine.diskBytes() / 1024 * 1024;
        out.put("ephemeral-storage", new Quantity(String.valueOf(disk - disk * DISK_EVICTION_PERCENT / 100)));
        out.put("memory", new Quantity(Math.max(0, machine.memoryBytes() - MEMORY_EVICTION_BYTES) / 1024 + "Ki"));
        out.put("pods", new Quantity(String.valueOf(MAX_PODS)));
        return out;
    }
}
