package io.kedge.kubelet.node;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The node's resource pressure, by simple fixed thresholds: memory pressure when less than 100Mi
 * is available ({@code MemAvailable}), disk pressure when less than 10% of the data dir's
 * filesystem is free, PID pressure when less than 10% of {@code pid_max} is left (counting
 * threads, as the kernel does). A signal that cannot be read counts as no pressure.
 */
public record PressureSignals(boolean memory, boolean disk, boolean pid) {
    static final int PID_EVICTION_PERCENT = 10;

    public static PressureSignals read(Path dataDir) {
        boolean memory = HostFiles.meminfoBytes(Path.of("/proc/meminfo"), "MemAvailable")
                .map(available -> available < NodeResources.MEMORY_EVICTION_BYTES).orElse(false);
        boolean disk;
        try {
            FileStore store = Files.getFileStore(dataDir);
            disk = store.getTotalSpace() > 0
                    && store.getUsableSpace() * 100 < store.getTotalSpace() * NodeResources.DISK_EVICTION_PERCENT;
        } catch (IOException e) {
            disk = false;
        }
        return new PressureSignals(memory, disk, pidPressure());
    }

    private static boolean pidPressure() {
        try {
            long max = Long.parseLong(HostFiles.firstLine(Path.of("/proc/sys/kernel/pid_max")).orElse("0"));
            // /proc/loadavg's fourth field is running/total scheduling entities
            String[] loadavg = HostFiles.firstLine(Path.of("/proc/loadavg")).orElse("").split("\\s+");
            if (max <= 0 || loadavg.length < 4 || !loadavg[3].contains("/")) {
                return false;
            }
            long total = Long.parseLong(loadavg[3].substring(loadavg[3].indexOf('/') + 1));
            return (max - total) * 100 < max * PID_EVICTION_PERCENT;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
