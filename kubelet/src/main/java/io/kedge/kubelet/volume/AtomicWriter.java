package io.kedge.kubelet.volume;

import io.kedge.kubelet.ContainerConfigException;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Writes a volume's files so that a container never sees half an update, in the layout upstream
 * kubelets use and that tools inside containers know:
 * <pre>
 *   ..2025_01_31_12_00_00.123456/   the files of one version
 *   ..data -> ..2025_01_31_12_00_00.123456
 *   key    -> ..data/key            one link per top-level name
 * </pre>
 * A new version is written beside the old one and {@code ..data} is swapped by one rename; only
 * then are the top-level links added or removed and the old version deleted. A payload equal to
 * what is there already writes nothing.
 */
public final class AtomicWriter {
    static final String DATA = "..data";
    private static final String DATA_TMP = "..data_tmp";
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyy_MM_dd_HH_mm_ss");

    private AtomicWriter() {
    }

    /** Makes {@code dir} hold exactly {@code payload} (relative path to content); true when it changed anything. */
    public static boolean write(Path dir, Map<String, FileContent> payload) throws ContainerConfigException {
        Map<String, FileContent> files = new TreeMap<>();
        for (var e : payload.entrySet()) {
            files.put(checkPath(e.getKey()), e.getValue());
        }
        try {
            Files.createDirectories(dir);
            Path dataLink = dir.resolve(DATA);
            Path current = Files.isSymbolicLink(dataLink) ? dir.resolve(Files.readSymbolicLink(dataLink)) : null;
            if (current != null && Files.isDirectory(current) && files.equals(read(current))) {
                ensureLinks(dir, files);
                return false;
            }
            Path version = Files.createTempDirectory(dir, ".." + LocalDateTime.now(ZoneOffset.UTC).format(STAMP) + ".");
            Files.setPosixFilePermissions(version, Modes.permissions(0755));
            for (var e : files.entrySet()) {
                Path file = version.resolve(e.getKey());
                createDirs(version, file.getParent());
                Files.write(file, e.getValue().data());
                Files.setPosixFilePermissions(file, Modes.permissions(e.getValue().mode()));
            }
            Path tmpLink = dir.resolve(DATA_TMP);
            Files.deleteIfExists(tmpLink);
            Files.createSymbolicLink(tmpLink, version.getFileName());
            Files.move(tmpLink, dataLink, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            ensureLinks(dir, files);
            if (current != null && !current.equals(version)) {
                Trees.delete(current);
            }
            return true;
        } catch (IOException e) {
            throw new ContainerConfigException("couldn't write the volume files in " + dir + ": " + e, e);
        }
    }

    /** The files of a written version, by relative path. */
    static Map<String, FileContent> read(Path version) throws IOException {
        Map<String, FileContent> out = new HashMap<>();
        try (Stream<Path> walk = Files.walk(version)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS);
                    out.put(version.relativize(p).toString(), new FileContent(Files.readAllBytes(p), Modes.mode(perms)));
                }
            }
        }
        return out;
    }

    private static void ensureLinks(Path dir, Map<String, FileContent> files) throws IOException {
        Set<String> tops = new HashSet<>();
        for (String path : files.keySet()) {
            int slash = path.indexOf('/');
            tops.add(slash < 0 ? path : path.substring(0, slash));
        }
        for (String top : tops) {
            Path link = dir.resolve(top);
            Path target = Path.of(DATA, top);
            if (Files.isSymbolicLink(link) && Files.readSymbolicLink(link).equals(target)) {
                continue;
            }
            if (Files.exists(link, LinkOption.NOFOLLOW_LINKS)) {
                Trees.delete(link);
            }
            try {
                Files.createSymbolicLink(link, target);
            } catch (FileAlreadyExistsException raced) {
                // another writer of the same volume made it first; its link points the same way
            }
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (!name.startsWith("..") && !tops.contains(name) && Files.isSymbolicLink(entry)) {
                    Files.delete(entry);
                }
            }
        }
    }

    private static void createDirs(Path root, Path dir) throws IOException {
        if (dir.equals(root) || Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        createDirs(root, dir.getParent());
        Files.createDirectory(dir);
        Files.setPosixFilePermissions(dir, Modes.permissions(0755));
    }

    /** A payload path must stay inside the volume and must not collide with the writer's own names. */
    static String checkPath(String path) throws ContainerConfigException {
        if (path == null || path.isEmpty()) {
            throw new ContainerConfigException("a volume file has an empty path");
        }
        if (path.startsWith("/")) {
            throw new ContainerConfigException("volume file path " + path + " must be relative");
        }
        if (path.startsWith("..")) {
            throw new ContainerConfigException("volume file path " + path + " must not start with '..'");
        }
        for (String element : path.split("/", -1)) {
            if (element.isEmpty() || element.equals("..") || element.equals(".")) {
                throw new ContainerConfigException("volume file path " + path + " must not contain empty, '.' or '..' elements");
            }
        }
        return path;
    }
}
