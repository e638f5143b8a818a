package io.kedge.kubelet.node;

import java.io.IOException;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Host-gw routing inside a unit: in the node's network namespace, a route to each unit peer's
 * podCIDR via the peer's InternalIP on the unit LAN. The routes are marked with a routing protocol
 * of kedge's own ({@value #PROTO}), so the kernel's table itself says which routes are the
 * agent's: each sync compares them with the peers, replaces what is missing or points elsewhere,
 * and deletes those of nodes that left the unit, including routes left by an earlier run. Nodes of
 * other units get no route. Syncs run when the peers change and every 30 s, which also puts back
 * routes the kernel dropped when the LAN interface went down.
 */
public final class UnitRoutes implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(UnitRoutes.class);
    /** The routing protocol number kedge's unit routes carry ({@code ip route ... proto 75}). */
    public static final String PROTO = "75";
    private static final long RESYNC_SECONDS = 30;

    /** Runs one command; its output, or an IOException carrying the output when it fails. */
    @FunctionalInterface
    public interface Commands {
        String run(List<String> argv) throws IOException;

        /** The commands as processes of the agent, in the agent's own network namespace. */
        static Commands local() {
            return UnitRoutes::exec;
        }

        /** The commands run in the network namespace mounted at {@code netnsPath} (through nsenter). */
        static Commands inNamespace(String netnsPath) {
            return argv -> {
                List<String> wrapped = new ArrayList<>(List.of("nsenter", "--net=" + netnsPath));
                wrapped.addAll(argv);
                return exec(wrapped);
            };
        }
    }

    private final UnitPeers source;
    private final Supplier<List<UnitPeers.Peer>> peers;
    private final String device;
    private final Commands commands;
    private ScheduledExecutorService timer;

    /** Routes to the peers {@code peers} finds, over the LAN interface {@code device}, with {@code ip} in this namespace. */
    public UnitRoutes(UnitPeers peers, String device) {
        this(peers, peers::peers, device, Commands.local());
    }

    UnitRoutes(Supplier<List<UnitPeers.Peer>> peers, String device, Commands commands) {
        this(null, peers, device, commands);
    }

    private UnitRoutes(UnitPeers source, Supplier<List<UnitPeers.Peer>> peers, String device, Commands commands) {
        if (device == null || device.isBlank()) {
            throw new IllegalArgumentException("unit routes need the name of the unit LAN's interface");
        }
        this.source = source;
        this.peers = peers;
        this.device = device;
        this.commands = commands;
    }

    /** The interface that holds {@code address} (the node's InternalIP): the unit LAN's. */
    public static String interfaceOf(String address) {
        try {
            NetworkInterface nic = NetworkInterface.getByInetAddress(InetAddress.getByName(address));
            if (nic == null) {
                throw new IllegalArgumentException("no interface of this host has the address " + address);
            }
            return nic.getName();
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot find the interface of " + address + ": " + e.getMessage(), e);
        }
    }

    public synchronized UnitRoutes start() {
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "unit-routes");
            t.setDaemon(true);
            return t;
        });
        if (source != null) {
            source.onChange(p -> syncSoon());
        }
        timer.scheduleWithFixedDelay(this::syncQuietly, 0, RESYNC_SECONDS, TimeUnit.SECONDS);
        return this;
    }

    private void syncSoon() {
        try {
            timer.execute(this::syncQuietly);
        } catch (RejectedExecutionException closing) {
            // stopping
        }
    }

    private void syncQuietly() {
        try {
            sync();
        } catch (IOException e) {
            LOG.warn("unit routes not synced: {}", e.getMessage());
        } catch (RuntimeException e) {
            LOG.warn("unit routes not synced", e);
        }
    }

    /**
     * Makes the kernel's kedge routes match the peers now: podCIDR to InternalIP for each peer that
     * has both. A route that cannot be set is logged and tried again at the next sync.
     */
    synchronized void sync() throws IOException {
        Map<String, String> wanted = new LinkedHashMap<>();
        for (UnitPeers.Peer p : peers.get()) {
            if (p.podCidr() != null && p.address() != null) {
                wanted.put(p.podCidr(), p.address());
            }
        }
        Map<String, String> present = installed();
        for (Map.Entry<String, String> route : present.entrySet()) {
            // a moved peer's route is replaced below rather than deleted first, so its pods are never unrouted
            if (!wanted.containsKey(route.getKey())) {
                try {
                    commands.run(List.of("ip", "route", "del", route.getKey(), "proto", PROTO));
                    LOG.info("route to {} via {} removed: no unit peer has that podCIDR there any more", route.getKey(),
                            route.getValue());
                } catch (IOException e) {
                    LOG.warn("route to {} via {} not removed: {}", route.getKey(), route.getValue(), e.getMessage());
                }
            }
        }
        for (Map.Entry<String, String> route : wanted.entrySet()) {
            if (!route.getValue().equals(present.get(route.getKey()))) {
                try {
                    commands.run(List.of("ip", "route", "replace", route.getKey(), "via", route.getValue(), "dev", device,
                            "proto", PROTO));
                    LOG.info("route to unit peer pods {} via {} dev {}", route.getKey(), route.getValue(), device);
                } catch (IOException e) {
                    LOG.warn("route to {} via {} dev {} not set: {}", route.getKey(), route.getValue(), device, e.getMessage());
                }
            }
        }
    }

    /** The kedge routes in the table now: destination to gateway. */
    private Map<String, String> installed() throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        String table = commands.run(List.of("ip", "-o", "route", "show", "proto", PROTO));
        for (String line : table.split("\n")) {
            String[] words = line.trim().split("\\s+");
            for (int i = 1; i + 1 < words.length; i++) {
                if (words[i].equals("via")) {
                    out.put(words[0], words[i + 1]);
                }
            }
        }
        return out;
    }

    private static String exec(List<String> argv) throws IOException {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        // read before waiting: a route table larger than the pipe's buffer would otherwise block ip
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", argv) + " did not finish in 10 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new IOException(String.join(" ", argv) + " was interrupted", e);
        }
        if (p.exitValue() != 0) {
            throw new IOException(String.join(" ", argv) + " failed (exit " + p.exitValue() + "): " + output.trim());
        }
        return output;
    }

    /** Stops syncing; the routes stay, so that pods keep reaching their peers while the agent restarts. */
    @Override
    public synchronized void close() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }
}
