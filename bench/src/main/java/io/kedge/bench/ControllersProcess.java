package io.kedge.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code kedge controllers --kubeconfig FILE}: the controllers and the scheduler in a JVM of their own,
 * against a server started with {@code --disable-controllers}, so that the scheduler can be started
 * when pods are already waiting for it.
 */
final class ControllersProcess implements AutoCloseable {
    private final Process process;

    private ControllersProcess(Process process) {
        this.process = process;
    }

    static ControllersProcess start(String classpath, Path kubeconfig, Path logFile) {
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", classpath,
                "io.kedge.cli.Main", "controllers", "--kubeconfig", kubeconfig.toString());
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile())).start();
            Log.info("started kedge controllers (pid %d), output in %s", p.pid(), logFile);
            return new ControllersProcess(p);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + String.join(" ", cmd), e);
        }
    }

    boolean alive() {
        return process.isAlive();
    }

    /** SIGTERM, which releases the leader Leases, so that the next process need not wait for them to expire. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
