package io.kedge.kubelet.node;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The node-local address the node DNS listens on, on a dummy interface of its own. Pods reach it
 * through their gateway like any address of the node, yet it belongs to no real link, so it stays
 * up whatever happens to the LAN, and is the same on every node. A kernel without dummy links
 * (some are built so) gets the address on loopback instead, which serves the same.
 */
public final class DnsInterface {
    public static final String NAME = "kedge-dns";

    private DnsInterface() {
    }

    /**
     * Makes sure the address is on the node: on {@value #NAME}, up, or on {@code lo} where the
     * kernel has no dummy links. Idempotent, so a restarted agent reuses it. Returns the interface.
     */
    public static String ensure(String address) throws IOException {
        String device = NAME;
        if (run(List.of("ip", "link", "show", NAME)) != 0 && run(List.of("ip", "link", "add", NAME, "type", "dummy")) != 0) {
            device = "lo";
        }
        require(List.of("ip", "addr", "replace", address + "/32", "dev", device));
        require(List.of("ip", "link", "set", device, "up"));
        return device;
    }

    private static void require(List<String> command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (waitFor(p) != 0) {
            throw new IOException("`" + String.join(" ", command) + "` failed: " + out
                    + " (the node DNS needs its address: run the agent as root with iproute2 installed, or give it"
                    + " --no-node-network where it must leave the host's network alone)");
        }
    }

    private static int run(List<String> command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        return waitFor(p);
    }

    private static int waitFor(Process p) throws IOException {
        try {
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("`ip` did not finish in 30 s");
            }
            return p.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while setting up " + NAME, e);
        }
    }
}
