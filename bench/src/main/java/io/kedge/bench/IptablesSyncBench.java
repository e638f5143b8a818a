package io.kedge.bench;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.kedge.netproxy.iptables.Endpoint;
import io.kedge.netproxy.iptables.Iptables;
import io.kedge.netproxy.iptables.ProxiedPort;
import io.kedge.netproxy.iptables.ProxySettings;
import io.kedge.netproxy.iptables.RuleSet;
import io.kedge.netproxy.iptables.RuleSyncer;
import io.kedge.netproxy.iptables.RuleWriter;
import io.kedge.netproxy.iptables.ServiceProxy;
import io.kedge.netproxy.iptables.ServiceTable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The Service proxy's iptables costs (issue 7, "Benchmarks"), in a throwaway network namespace
 * ({@code kedge-t-bench-PID}, deleted at the end), as root:
 * <ol>
 *   <li>for SERVICES Services of ENDPOINTS endpoints each, the median of RUNS: one full sync (rule
 *       generation and one {@code iptables-restore --noflush} that rewrites every chain, as after a start
 *       or a failure), and the usual sync after one endpoint changed (the jump checks and a restore of
 *       the changed chains only);</li>
 *   <li>the time from an EndpointSlice update on a real {@code kedge server} process (controllers off) to
 *       the new endpoint's DNAT rule showing in {@code iptables-save}, the proxy watching that server with
 *       the same SERVICES Services loaded; the median of RUNS.</li>
 * </ol>
 *
 * <p>Usage: {@code java -cp bench/target/kedge-bench.jar:bench/target/lib/* io.kedge.bench.IptablesSyncBench
 * SERVER_CLASSPATH WORK_DIR [SERVICES] [ENDPOINTS] [RUNS]}
 */
public final class IptablesSyncBench {
    public static void main(String[] args) throws Exception {
        String classpath = args[0];
        Path work = Path.of(args[1]);
        int services = args.length > 2 ? Integer.parseInt(args[2]) : 1000;
        int endpoints = args.length > 3 ? Integer.parseInt(args[3]) : 10;
        int runs = args.length > 4 ? Integer.parseInt(args[4]) : 7;
        Files.createDirectories(work);
        String ns = "kedge-t-bench-" + ProcessHandle.current().pid();
        sh("ip", "netns", "add", ns);
        try {
            List<String> prefix = List.of("nsenter", "--net=/var/run/netns/" + ns);
            String report = fullSync(new Iptables(prefix), services, endpoints, runs)
                    + endpointChange(classpath, work, prefix, services, endpoints, runs);
            System.out.print(report);
            Files.writeString(work.resolve("results.md"), report);
        } finally {
            sh("ip", "netns", "del", ns);
        }
    }

    private static String fullSync(Iptables iptables, int services, int endpoints, int runs) throws Exception {
        RuleSyncer syncer = new RuleSyncer(iptables);
        List<ProxiedPort> current = ports(services, endpoints, -1);
        long t0 = System.nanoTime();
        syncer.sync(current);
        double first = ms(t0);
        Samples full = new Samples();
        Samples generation = new Samples();
        Samples incremental = new Samples();
        Samples unchanged = new Samples();
        for (int i = 1; i <= runs; i++) {
            // a full sync, as after a start or a failure: every chain generated and rewritten by one restore
            long f = System.nanoTime();
            RuleSet rules = RuleWriter.rules(current);
            String input = RuleWriter.restoreInput(rules, null, rules.natChains(), rules.filterChains());
            generation.add(ms(f));
            iptables.restore(input);
            full.add(ms(f));
            // the usual sync: one endpoint changed, only its chains rewritten
            List<ProxiedPort> next = ports(services, endpoints, i);
            long s = System.nanoTime();
            if (!syncer.sync(next, false)) {
                throw new IllegalStateException("run " + i + " found nothing to change");
            }
            incremental.add(ms(s));
            long u = System.nanoTime();
            syncer.sync(next, true);
            unchanged.add(ms(u));
            current = next;
                Log.info("run %d: full sync %.0f ms, one endpoint changed %.0f ms, jump checks %.0f ms", i,
                    full.snapshot().get(i - 1), incremental.snapshot().get(i - 1), unchanged.snapshot().get(i - 1));
        }
        RuleSet rules = RuleWriter.rules(ports(services, endpoints, -1));
        int lines = RuleWriter.restoreInput(rules, null, Set.of(), Set.of()).split("\n").length;
        int natRules = iptables.save("nat").split("\n").length;
        syncer.removeAll();
        return String.format(Locale.ROOT, "%d Services x %d endpoints (%d restore lines, %d lines in iptables-save -t nat); %d runs:%n"
                        + "- full sync (generate and restore every chain): median %.0f ms (min %.0f, max %.0f); of which rule "
                        + "generation median %.1f ms; the first, into empty tables: %.0f ms%n"
                        + "- sync after one endpoint changed (its chains only; the proxy checks the jumps on a timer, not here): median %.0f ms (min %.0f, max %.0f)%n"
                        + "- sync with nothing to change (the jump checks only): median %.0f ms%n",
                services, endpoints, lines, natRules, runs, full.median(), full.min(), full.max(), generation.median(), first,
                incremental.median(), incremental.min(), incremental.max(), unchanged.median());
    }

    /**
     * The Services; in change c (>= 0) one endpoint of one Service has a new address, the usual cause
     * of a sync, and the sync still rewrites every chain.
     */
    private static List<ProxiedPort> ports(int services, int endpoints, int change) {
        List<ProxiedPort> ports = new ArrayList<>();
        for (int s = 0; s < services; s++) {
            List<Endpoint> eps = new ArrayList<>();
            for (int e = 0; e < endpoints; e++) {
                boolean changed = e == 0 && change >= 0 && s == (change * 7919) % services;
                eps.add(new Endpoint(changed ? "10.250." + (change / 256) + "." + (change % 256) : address(s, e, endpoints), 8080));
            }
            ports.add(new ProxiedPort("bench", "svc-" + s, "http", "TCP", "10.43." + (s / 256) + "." + (s % 256), 80,
                    30000 + s % 2768, 0, eps));
        }
        return ports;
    }

    private static String endpointChange(String classpath, Path work, List<String> prefix, int services, int endpoints,
            int runs) throws Exception {
        Path data = work.resolve("server");
        ServerProcess server = ServerProcess.start(classpath, data, null, List.of("--disable-controllers"),
                work.resolve("server.log"), Duration.ofSeconds(120));
        Iptables iptables = new Iptables(prefix);
        try (KubernetesClient client = new KubernetesClientBuilder()
                .withConfig(Config.fromKubeconfig(Files.readString(data.resolve("admin.kubeconfig")))).build()) {
            client.namespaces().resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder().withNewMetadata()
                    .withName("bench").endMetadata().build()).create();
            long c = System.nanoTime();
            for (int s = 0; s < services; s++) {
                client.services().inNamespace("bench").resource(service(s)).create();
                client.discovery().v1().endpointSlices().inNamespace("bench").resource(slice(s, endpoints, -1)).create();
            }
            Log.info("%d Services and slices created in %.1f s", services, ms(c) / 1000);
            Samples latency = new Samples();
            Samples saveTime = new Samples();
            try (ServiceProxy proxy = ServiceProxy.start(client, ProxySettings.of("bench").withCommandPrefix(prefix))) {
                String last = "--to-destination " + address(services - 1, endpoints - 1, endpoints) + ":8080";
                await(iptables, last, Duration.ofMinutes(5), new Samples());
                for (int r = 0; r < runs; r++) {
                    Thread.sleep(1000);
                    int s = (r * 7919) % services;
                    EndpointSlice changed = slice(s, endpoints, r);
                    long t = System.nanoTime();
                    client.discovery().v1().endpointSlices().inNamespace("bench").resource(changed).update();
                    await(iptables, "--to-destination " + changed.getEndpoints().get(0).getAddresses().get(0) + ":8080",
                            Duration.ofMinutes(1), saveTime);
                    latency.add(ms(t));
                    Log.info("endpoint change %d: in force after %.0f ms", r + 1, latency.snapshot().get(r));
                }
            }
            return String.format(Locale.ROOT, "endpoint change to rule in force (%d Services x %d endpoints loaded, proxy's sync delay "
                            + "%d ms, polled with iptables-save -t nat, one save taking median %.0f ms): median %.0f ms "
                            + "(min %.0f, max %.0f, %d runs)%n",
                    services, endpoints, ProxySettings.of("bench").syncDelay().toMillis(), saveTime.median(), latency.median(),
                    latency.min(), latency.max(), runs);
        } finally {
            server.close();
        }
    }

    private static void await(Iptables iptables, String rule, Duration timeout, Samples saveTime) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long s = System.nanoTime();
            boolean there = iptables.save("nat").contains(rule);
            saveTime.add(ms(s));
            if (there) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no rule " + rule + " after " + timeout);
            }
        }
    }

    private static Service service(int s) {
        return new ServiceBuilder().withNewMetadata().withName("svc-" + s).withNamespace("bench").endMetadata().withNewSpec()
                .addNewPort().withName("http").withPort(80).withTargetPort(new IntOrString(8080)).endPort().endSpec().build();
    }

    /** The slice of Service s; in change r (>= 0) its first endpoint has a new address. */
    private static EndpointSlice slice(int s, int endpoints, int change) {
        EndpointSliceBuilder b = new EndpointSliceBuilder().withNewMetadata().withName("svc-" + s + "-x").withNamespace("bench")
                .addToLabels(ServiceTable.SERVICE_NAME_LABEL, "svc-" + s).endMetadata().withAddressType("IPv4")
                .addNewPort().withName("http").withProtocol("TCP").withPort(8080).endPort();
        for (int e = 0; e < endpoints; e++) {
            String ip = e == 0 && change >= 0 ? "10.250." + (change / 256) + "." + (change % 256) : address(s, e, endpoints);
            b.addToEndpoints(new EndpointBuilder().withAddresses(ip).withNewConditions().withReady(true).endConditions().build());
        }
        return b.build();
    }

    private static String address(int s, int e, int endpoints) {
        int n = s * endpoints + e;
        return "10." + (64 + n / 65536) + "." + (n / 256 % 256) + "." + (n % 256);
    }

    private static double ms(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e6;
    }

    private static void sh(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + out.strip());
        }
    }
}
