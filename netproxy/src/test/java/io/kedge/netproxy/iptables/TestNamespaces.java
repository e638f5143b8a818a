package io.kedge.netproxy.iptables;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Two throwaway network namespaces: a "node" with the address 10.98.0.1, and
 * a "pod" at 10.99.0.2 (10.99.0.3 too) behind a veth from the node (10.99.0.1), with an echo
 * server per pod address. Nothing is created in the caller's namespace, and nothing leaves the machine.
 */
final class TestNamespaces implements AutoCloseable {
    static final String NODE_IP = "10.98.0.1";
    static final String POD_A = "10.99.0.2";
    static final String POD_B = "10.99.0.3";

    final String node;
    final String pod;
    private final List<Process> servers = new ArrayList<>();

    private TestNamespaces(String node, String pod) {
        this.node = node;
        this.pod = pod;
    }

    static boolean available() {
        return "root".equals(System.getProperty("user.name")) && onPath("ip") && onPath("nsenter") && onPath("iptables-restore");
    }

    private static boolean onPath(String tool) {
        for (String dir : (System.getenv().getOrDefault("PATH", "") + ":/usr/sbin:/sbin").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    static TestNamespaces create(String tag) throws Exception {
        String id = tag + "-" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x10000, 0xfffff));
        TestNamespaces ns = new TestNamespaces("kedge-t-" + id + "-n", "kedge-t-" + id + "-p");
        try {
            ns.setUp();
        } catch (Exception e) {
            ns.close();
            throw e;
        }
        return ns;
    }

    private void setUp() throws Exception {
        sh("ip", "netns", "add", node);
        sh("ip", "netns", "add", pod);
        sh("ip", "-n", node, "link", "set", "lo", "up");
        sh("ip", "-n", pod, "link", "set", "lo", "up");
        sh("ip", "-n", node, "link", "add", "kt0", "type", "veth", "peer", "name", "kt1", "netns", pod);
        sh("ip", "-n", node, "addr", "add", "10.99.0.1/24", "dev", "kt0");
        sh("ip", "-n", node, "link", "set", "kt0", "up");
        // the node's own address; a second one on the veth, as this kernel may lack the dummy device
        sh("ip", "-n", node, "addr", "add", NODE_IP + "/32", "dev", "kt0");
        // cluster IPs need a route to be sent at all; anything not rewritten finds no neighbour there
        sh("ip", "-n", node, "route", "add", "default", "dev", "kt0");
        sh("nsenter", "--net=" + path(node), "sysctl", "-q", "-w", "net.ipv4.ip_forward=1");
        sh("ip", "-n", pod, "addr", "add", POD_A + "/24", "dev", "kt1");
        sh("ip", "-n", pod, "addr", "add", POD_B + "/24", "dev", "kt1");
        sh("ip", "-n", pod, "link", "set", "kt1", "up");
        sh("ip", "-n", pod, "route", "add", "default", "via", "10.99.0.1");
    }

    static String path(String namespace) {
        return "/var/run/netns/" + namespace;
    }

    /** The prefix that runs a command in the node's namespace. */
    List<String> nodePrefix() {
        return List.of("nsenter", "--net=" + path(node));
    }

    /** Starts an echo server on a pod address; it answers {@code NAME hello}. */
    void serve(String address, int port, String name) throws Exception {
        Process p = new ProcessBuilder(java("nsenter", "--net=" + path(pod), "serve", address, String.valueOf(port), name))
                .redirectErrorStream(true).start();
        servers.add(p);
        String first = new String(p.getInputStream().readNBytes("listening".length()), StandardCharsets.UTF_8);
        if (!first.equals("listening")) {
            throw new IllegalStateException("echo server on " + address + ":" + port + " did not start: " + first
                    + new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    /** Connects {@code count} times from the given namespace; one answer (or {@code error: ...}) per connection. */
    List<String> ask(String fromNamespace, String host, int port, int count) throws Exception {
        Process p = new ProcessBuilder(java("nsenter", "--net=" + path(fromNamespace), "ask", host, String.valueOf(port),
                String.valueOf(count))).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(60, TimeUnit.SECONDS);
        return out.lines().toList();
    }

    /** iptables-save of one table in the node's namespace. */
    String save(String table) throws Exception {
        return new Iptables(nodePrefix()).save(table);
    }

    private static List<String> java(String nsenter, String net, String... args) throws URISyntaxException {
        String java = ProcessHandle.current().info().command().orElse("java");
        String classes = Path.of(EchoProcess.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        List<String> cmd = new ArrayList<>(List.of(nsenter, net, java, "-Xmx32m", "-XX:TieredStopAtLevel=1",
                "-Xshare:auto", "-cp", classes, EchoProcess.class.getName()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    static void sh(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + out.strip());
        }
    }

    @Override
    public void close() throws Exception {
        for (Process p : servers) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
        for (String ns : List.of(node, pod)) {
            try {
                sh("ip", "netns", "del", ns);
            } catch (IOException e) {
                // not created
            }
        }
    }
}
