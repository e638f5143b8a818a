package io.kedge.kubelet.server;

import java.nio.file.Path;
import java.util.function.BooleanSupplier;

/**
 * A container's log file, in the CRI format containerd writes, and whether the container is still
 * running: a follow ends once it has stopped and the file is read to its end.
 */
public record ContainerLog(Path file, BooleanSupplier running) {}
