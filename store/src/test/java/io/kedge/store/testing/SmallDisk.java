package io.kedge.store.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** A real, small filesystem (a tmpfs) for tests of what happens when the disk is full; mounting needs root. */
public final class SmallDisk implements AutoCloseable {
    private final Path root;

    private SmallDisk(Path root) {
        this.root = root;
    }

    /** Mounts a tmpfs of {@code size} (as {@code 6m}) on {@code dir}; the test is skipped where that is not allowed. */
    public static SmallDisk mount(Path dir, String size) throws Exception {
        Files.createDirectories(dir);
        assumeTrue(run("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", dir.toString()) == 0,
                "mounting a tmpfs needs root");
        return new SmallDisk(dir);
    }

    public Path root() {
        return root;
    }

    /** Writes a file under the disk until it has no room left; deleting it makes room again. */
    public Path fill() throws IOException {
        Path filler = root.resolve("filler");
        byte[] block = new byte[16 * 1024];
        try (OutputStream out = Files.newOutputStream(filler)) {
            while (true) {
                out.write(block);
                out.flush();
            }
        } catch (IOException full) {
            if (!String.valueOf(full.getMessage()).contains("No space left")) {
                throw full;
            }
        }
        return filler;
    }

    @Override
    public void close() throws Exception {
        run("umount", "-l", root.toString());
    }

    private static int run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor();
    }
}
