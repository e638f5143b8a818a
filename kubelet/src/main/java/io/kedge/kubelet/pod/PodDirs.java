package io.kedge.kubelet.pod;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What the pod workers keep on disk per pod, beside the volumes:
 * {@code DATA_DIR/pods/<uid>/logs/<container>/<restartCount>.log} (the CRI log directory) and
 * {@code DATA_DIR/pods/<uid>/containers/<container>/<restartCount>} (termination message files) and
 * {@code DATA_DIR/pods/<uid>/etc-hosts} (the containers' /etc/hosts).
 */
final class PodDirs {
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

    private final Path podsDir;

    PodDirs(Path dataDir) {
        this.podsDir = dataDir.toAbsolutePath().resolve("pods");
    }

    Path logDirectory(String uid) {
        return podDir(uid).resolve("logs");
    }

    /** A fresh, empty, world-writable file for the container to write its termination message into. */
    Path terminationMessageFile(String uid, String container, int restartCount) throws IOException {
        Path dir = podDir(uid).resolve("containers").resolve(segment(container, "container name"));
        Files.createDirectories(dir);
        Path file = dir.resolve(Integer.toString(restartCount));
        Files.deleteIfExists(file);
        Files.createFile(file);
        // the container may run as any user
        file.toFile().setWritable(true, false);
        file.toFile().setReadable(true, false);
        return file;
    }

    /** Writes the pod's hosts file, replacing it in one rename so that no container reads half of it; returns its path. */
    Path writeEtcHosts(String uid, String content) throws IOException {
        Path dir = Files.createDirectories(podDir(uid));
        Path file = dir.resolve("etc-hosts");
        if (Files.isRegularFile(file) && Files.readString(file).equals(content)) {
            return file;
        }
        Path tmp = Files.createTempFile(dir, ".etc-hosts", ".tmp");
        try {
            Files.writeString(tmp, content);
            tmp.toFile().setReadable(true, false);
            Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
        return file;
    }

    /** Removes the pod's logs and termination messages, and the pod's directory once nothing else is in it. */
    void remove(String uid) throws IOException {
        Path pod = podDir(uid);
        deleteTree(pod.resolve("logs"));
        deleteTree(pod.resolve("containers"));
        Files.deleteIfExists(pod.resolve("etc-hosts"));
        try (Stream<Path> rest = Files.exists(pod) ? Files.list(pod) : Stream.empty()) {
            if (rest.findAny().isEmpty()) {
                Files.deleteIfExists(pod);
            }
        }
    }

    private Path podDir(String uid) {
        return podsDir.resolve(segment(uid, "pod uid"));
    }

    private static String segment(String s, String what) {
        if (s == null || !SAFE.matcher(s).matches()) {
            throw new IllegalArgumentException(what + " \"" + s + "\" cannot name a directory");
        }
        return s;
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
