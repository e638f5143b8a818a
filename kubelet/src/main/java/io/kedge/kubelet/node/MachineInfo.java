package io.kedge.kubelet.node;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * What the machine is, read once at start: processors, memory, the data dir's disk, and the
 * identity fields of nodeInfo. Fields that cannot be read (e.g. the DMI product UUID without
 * root) are empty strings, as upstream leaves them.
 */
public record MachineInfo(int cpus, long memoryBytes, long diskBytes, String kernelVersion, String osImage,
                          String architecture, String machineId, String systemUuid, String bootId) {

    public static MachineInfo read(Path dataDir) throws IOException {
        Files.createDirectories(dataDir);
        FileStore store = Files.getFileStore(dataDir);
        long memory = HostFiles.meminfoBytes(Path.of("/proc/meminfo"), "MemTotal")
                .orElseThrow(() -> new IOException("cannot read MemTotal from /proc/meminfo"));
        String kernel = HostFiles.firstLine(Path.of("/proc/sys/kernel/osrelease")).orElse(System.getProperty("os.version"));
        String osImage = HostFiles.osRelease(Path.of("/etc/os-release"), "PRETTY_NAME")
                .or(() -> HostFiles.osRelease(Path.of("/usr/lib/os-release"), "PRETTY_NAME")).orElse("Linux");
        String machineId = HostFiles.firstLine(Path.of("/etc/machine-id"))
                .or(() -> HostFiles.firstLine(Path.of("/var/lib/dbus/machine-id"))).orElse("");
        String uuid = HostFiles.firstLine(Path.of("/sys/class/dmi/id/product_uuid")).orElse("");
        String bootId = HostFiles.firstLine(Path.of("/proc/sys/kernel/random/boot_id")).orElse("");
        return new MachineInfo(Runtime.getRuntime().availableProcessors(), memory, store.getTotalSpace(), kernel, osImage,
                goArch(System.getProperty("os.arch")), machineId, uuid, bootId);
    }

    /** The architecture in Go's words, which {@code kubernetes.io/arch} and image platforms use. */
    static String goArch(String javaArch) {
        return switch (javaArch.toLowerCase(Locale.ROOT)) {
            case "amd64", "x86_64" -> "amd64";
            case "aarch64", "arm64" -> "arm64";
            case "arm" -> "arm";
            case "ppc64le" -> "ppc64le";
            case "s390x" -> "s390x";
            case "riscv64" -> "riscv64";
            default -> javaArch;
        };
    }
}
