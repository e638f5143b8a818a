package io.kedge.kubelet.volume;

import io.fabric8.kubernetes.api.model.HostPathVolumeSource;
import io.kedge.kubelet.ContainerConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A hostPath volume's {@code type}: checks that the path is what the pod expects, and makes a
 * missing directory (0755) or empty file (0644, parents included) for the {@code ...OrCreate} types.
 */
final class HostPathCheck {
    private static final int S_IFMT = 0170000;
    private static final int S_IFDIR = 0040000;
    private static final int S_IFREG = 0100000;
    private static final int S_IFSOCK = 0140000;
    private static final int S_IFCHR = 0020000;
    private static final int S_IFBLK = 0060000;

    private HostPathCheck() {
    }

    static Path prepare(String volume, HostPathVolumeSource source) throws ContainerConfigException {
        if (source.getPath() == null || !source.getPath().startsWith("/")) {
            throw new ContainerConfigException("hostPath volume \"" + volume + "\" needs an absolute path, got " + source.getPath());
        }
        Path path = Path.of(source.getPath());
        String type = source.getType() == null ? "" : source.getType();
        try {
            switch (type) {
                case "" -> {
                }
                case "DirectoryOrCreate" -> {
                    if (!Files.exists(path)) {
                        Files.createDirectories(path);
                        Files.setPosixFilePermissions(path, Modes.permissions(0755));
                    }
                    expect(path, S_IFDIR, "a directory");
                }
                case "Directory" -> expect(path, S_IFDIR, "a directory");
                case "FileOrCreate" -> {
                    if (!Files.exists(path)) {
                        Files.createDirectories(path.getParent());
                        Files.createFile(path);
                        Files.setPosixFilePermissions(path, Modes.permissions(0644));
                    }
                    expect(path, S_IFREG, "a file");
                }
                case "File" -> expect(path, S_IFREG, "a file");
                case "Socket" -> expect(path, S_IFSOCK, "a socket file");
                case "CharDevice" -> expect(path, S_IFCHR, "a character device");
                case "BlockDevice" -> expect(path, S_IFBLK, "a block device");
                default -> throw new ContainerConfigException("hostPath volume \"" + volume + "\" has type " + type
                        + ", which is not one of DirectoryOrCreate, Directory, FileOrCreate, File, Socket, CharDevice, BlockDevice");
            }
        } catch (IOException e) {
            throw new ContainerConfigException("hostPath volume \"" + volume + "\": couldn't prepare " + path + ": " + e, e);
        }
        return path;
    }

    private static void expect(Path path, int fileType, String what) throws ContainerConfigException, IOException {
        if (!Files.exists(path) || (((Integer) Files.getAttribute(path, "unix:mode")) & S_IFMT) != fileType) {
            throw new ContainerConfigException("hostPath type check failed: " + path + " is not " + what);
        }
    }
}
