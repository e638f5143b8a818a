package io.kedge.pki;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Writes credential files. A file is written to a temporary sibling and moved into place, so a crash never leaves a
 * half-written key, and a secret is never readable by others, not even for the moment before a chmod.
 */
public final class SecureFiles {
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> WORLD_READABLE = PosixFilePermissions.fromString("rw-r--r--");

    private SecureFiles() {
    }

    /** Writes a secret (private key, kubeconfig) with mode 0600. */
    public static void writePrivate(Path file, byte[] content) throws IOException {
        write(file, content, OWNER_ONLY);
    }

    /** Writes public material (a certificate) with mode 0644. */
    public static void writePublic(Path file, byte[] content) throws IOException {
        write(file, content, WORLD_READABLE);
    }

    private static void write(Path file, byte[] content, Set<PosixFilePermission> permissions) throws IOException {
        Path target = file.toAbsolutePath();
        Path dir = target.getParent();
        Files.createDirectories(dir);
        boolean posix = dir.getFileSystem().supportedFileAttributeViews().contains("posix");
        FileAttribute<?>[] attributes = posix
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY)}
                : new FileAttribute<?>[0];
        Path temp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp", attributes);
        try {
            Files.write(temp, content);
            if (posix) {
                Files.setPosixFilePermissions(temp, permissions);
            }
            try {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
