package io.kedge.bench;

import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.kedge.netproxy.dns.NodeDns;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Node DNS queries per second (issue 7, "Benchmarks"): a real {@code kedge server} process with
 * {@code SERVICES} ClusterIP Services, the node DNS in this JVM fed from it (as from a hub), and UDP
 * load from this JVM: A queries for the Services' names, then for outside names forwarded to a fake
 * upstream on loopback that answers at once. Each figure is the median of {@code ROUNDS} rounds of
 * {@code SECONDS} after one warm-up round.
 *
 * <p>Usage: {@code java -cp bench/target/kedge-bench.jar:bench/target/lib/* io.kedge.bench.NodeDnsBench
 * SERVER_CLASSPATH WORK_DIR [ROUNDS=5] [SECONDS=5] [THREADS=4] [WINDOW=16] [SERVICES=100]}
 */
public final class NodeDnsBench {
    public static void main(String[] args) throws Exception {
        String classpath = args[0];
        Path work = Path.of(args[1]);
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        double seconds = args.length > 3 ? Double.parseDouble(args[3]) : 5;
        int threads = args.length > 4 ? Integer.parseInt(args[4]) : 4;
        int window = args.length > 5 ? Integer.parseInt(args[5]) : 16;
        int services = args.length > 6 ? Integer.parseInt(args[6]) : 100;
        Files.createDirectories(work);
        Path data = work.resolve("server");
        Path resolv = work.resolve("resolv.conf");
        Files.writeString(resolv, "nameserver 127.0.0.1\n");
        try (ServerProcess server = ServerProcess.start(classpath, data, null, List.of("--disable-controllers"),
                work.resolve("server.log"), Duration.ofSeconds(120));
             KubernetesClient client = new KubernetesClientBuilder()
                     .withConfig(Config.fromKubeconfig(Files.readString(data.resolve("admin.kubeconfig")))).build();
             FakeUpstreamResolver upstream = new FakeUpstreamResolver()) {
            List<String> clusterNames = new ArrayList<>();
            for (int i = 0; i < services; i++) {
                client.services().inNamespace("default").resource(new ServiceBuilder().withNewMetadata().withName("svc-" + i)
                        .endMetadata().withNewSpec().addNewPort().withName("http").withPort(80).endPort().endSpec().build()).create();
                clusterNames.add("svc-" + i + ".default.svc.cluster.local.");
            }
            List<String> outsideNames = new ArrayList<>();
            for (int i = 0; i < services; i++) {
                outsideNames.add("host-" + i + ".example.com.");
            }
            try (NodeDns dns = NodeDns.start(client, new InetSocketAddress("127.0.0.1", 0), resolv, upstream.port())) {
                if (!dns.awaitSynced(Duration.ofSeconds(60))) {
                    throw new IllegalStateException("the node DNS did not list Services within 60 s");
                }
                String cluster = measure("cluster.local A", new DnsLoad(dns.address(), clusterNames, threads, window), rounds, seconds);
                String forwarded = measure("forwarded A", new DnsLoad(dns.address(), outsideNames, threads, window), rounds, seconds);
                String report = String.format(Locale.ROOT, "node DNS, %d Services, %d sockets x %d in flight, %d rounds of %.0f s:%n%s%n%s%n",
                        services, threads, window, rounds, seconds, cluster, forwarded);
                System.out.print(report);
                Files.writeString(work.resolve("results.md"), report);
            }
        }
    }

    private static String measure(String what, DnsLoad load, int rounds, double seconds) throws InterruptedException {
        load.run(seconds);
        Samples qps = new Samples();
        long failures = 0;
        for (int r = 0; r < rounds; r++) {
            DnsLoad.Result result = load.run(seconds);
            qps.add(result.answersPerSecond());
            failures += result.failures();
            Log.info("%s round %d: %.0f answers/s, %d failed", what, r + 1, result.answersPerSecond(), result.failures());
        }
        return String.format(Locale.ROOT, "- %s: median %.0f queries/s (min %.0f, max %.0f), %d non-NOERROR answers",
                what, qps.median(), qps.min(), qps.max(), failures);
    }
}
