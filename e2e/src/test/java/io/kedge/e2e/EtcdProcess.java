package io.kedge.e2e;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Debian's etcd on loopback ports of its own, for servers that share one store. */
final class EtcdProcess implements AutoCloseable {
    private final Process process;
    final int clientPort;

    EtcdProcess(Path dataDir) throws IOException, InterruptedException {
        String etcd = List.of("/usr/bin/etcd", "/usr/local/bin/etcd").stream()
                .filter(p -> new java.io.File(p).canExecute()).findFirst()
                .orElseThrow(() -> new IllegalStateException("etcd is missing: run .ci/install-tools.sh"));
        clientPort = ServerProcess.freePort();
        int peerPort = ServerProcess.freePort();
        process = new ProcessBuilder(etcd, "--data-dir", dataDir.toString(), "--name", "kedge-e2e",
                "--listen-client-urls", "http://127.0.0.1:" + clientPort,
                "--advertise-client-urls", "http://127.0.0.1:" + clientPort,
                "--listen-peer-urls", "http://127.0.0.1:" + peerPort,
                "--initial-advertise-peer-urls", "http://127.0.0.1:" + peerPort,
                "--initial-cluster", "kedge-e2e=http://127.0.0.1:" + peerPort)
                .redirectErrorStream(true).redirectOutput(dataDir.resolveSibling("etcd.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            try (Socket s = new Socket("127.0.0.1", clientPort)) {
                return;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException("etcd did not start on port " + clientPort);
    }

    String url() {
        return "http://127.0.0.1:" + clientPort;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
