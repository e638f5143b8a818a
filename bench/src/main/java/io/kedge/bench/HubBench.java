package io.kedge.bench;

import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.kedge.hub.EdgeHub;
import io.kedge.hub.HubConfig;
import io.kedge.pki.CertificateAuthority;
import io.kedge.pki.IssuedCertificate;
import io.kedge.pki.Kubeconfig;
import io.kedge.pki.TlsMaterial;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * EdgeHub's costs (issue 5, "Benchmarks"): a node's GET, LIST and watch-event latency through its
 * hub against straight to the server, in the same run; LIST latency from the cache with the server
 * gone; and the cache's bytes on disk per pod. The server is a real {@code kedge server} process; the
 * hub runs in this JVM with a node certificate, as in an agent.
 *
 * <p>Usage: {@code java -cp bench/target/kedge-bench.jar:bench/target/lib/* io.kedge.bench.HubBench
 * SERVER_CLASSPATH WORK_DIR [PODS] [RUNS]}
 */
public final class HubBench {
    private static final String NODE = "bench-hub-1";

    public static void main(String[] args) throws Exception {
        String classpath = args[0];
        Path work = Path.of(args[1]);
        int pods = args.length > 2 ? Integer.parseInt(args[2]) : 500;
        int runs = args.length > 3 ? Integer.parseInt(args[3]) : 300;
        Files.createDirectories(work);
        Path data = work.resolve("server");
        ServerProcess server = ServerProcess.start(classpath, data, null, List.of("--disable-controllers"),
                work.resolve("server.log"), Duration.ofSeconds(120));
        Kubeconfig admin = Kubeconfig.read(data.resolve("admin.kubeconfig"));
        try (KubernetesClient client = new KubernetesClientBuilder()
                .withConfig(Config.fromKubeconfig(Files.readString(data.resolve("admin.kubeconfig")))).build()) {
            client.nodes().resource(new NodeBuilder().withNewMetadata().withName(NODE).endMetadata().build()).create();
            for (int i = 0; i < pods; i++) {
                client.pods().inNamespace("default").resource(new PodBuilder().withNewMetadata().withName("p-" + i)
                        .addToLabels("app", "bench").endMetadata().withNewSpec().withNodeName(NODE)
                        .addNewContainer().withName("c").withImage("busybox").endContainer().endSpec().build()).create();
            }
        }
        IssuedCertificate node = CertificateAuthority.load(data.resolve("pki"))
                .issueClient("system:node:" + NODE, List.of("system:nodes"), Duration.ofDays(1));
        java.security.cert.X509Certificate ca = admin.certificateAuthority().orElseThrow();
        HttpClient direct = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .sslContext(TlsMaterial.context(node, ca)).build();
        HttpClient local = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        URI cloud = URI.create(admin.server());
        Path hubDir = work.resolve("agent");
        ScheduledExecutorService beat = Executors.newSingleThreadScheduledExecutor();
        StringBuilder report = new StringBuilder();
        try (EdgeHub hub = new EdgeHub(HubConfig.of(List.of(cloud), Kubeconfig.withClientCertificate(admin.server(),
                ca, node), NODE, hubDir, 0)).start()) {
            beat.scheduleAtFixedRate(hub::kubeletAlive, 0, 2, TimeUnit.SECONDS);
            URI viaHub = hub.url();
            String one = "/api/v1/namespaces/default/pods/p-0";
            String list = "/api/v1/pods?fieldSelector=spec.nodeName%3D" + NODE;
            line(report, "hub benchmark: %d pods on node %s, %d GETs and %d LISTs each way, alternating", pods, NODE, runs, runs / 10);
            double[] get = compare(direct, cloud, local, viaHub, one, runs);
            line(report, "GET one pod: direct %.2f ms, through the hub %.2f ms (median); hub/direct %.2f", get[0], get[1], get[1] / get[0]);
            double[] lists = compare(direct, cloud, local, viaHub, list, Math.max(10, runs / 10));
            line(report, "LIST the node's %d pods: direct %.1f ms, through the hub %.1f ms (median); hub/direct %.2f",
                    pods, lists[0], lists[1], lists[1] / lists[0]);
            double[] watch = watchLatency(direct, cloud, local, viaHub, data, 30);
            line(report, "watch event after the write was sent: direct %.1f ms, through the hub %.1f ms (median of 30); hub/direct %.2f",
                    watch[0], watch[1], watch[1] / watch[0]);

            server.close();
            long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (hub.cloudHealthy() && System.nanoTime() < until) {
                Thread.sleep(200);
            }
            List<Double> offline = new ArrayList<>();
            for (int i = 0; i < Math.max(10, runs / 10); i++) {
                offline.add(timeMillis(local, viaHub.resolve(list), 200));
            }
            line(report, "LIST the node's %d pods offline, from the hub's cache: %.1f ms (median of %d); the cloud healthy: %s",
                    pods, Samples.of(offline).median(), offline.size(), hub.cloudHealthy());
        } finally {
            beat.shutdownNow();
        }
        long bytes;
        try (Stream<Path> files = Files.walk(hubDir)) {
            bytes = files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
        }
        line(report, "hub cache on disk: %d KiB for %d pods, %.1f KiB per pod (SQLite file with its WAL; one list shape, one GET, one watch)",
                bytes / 1024, pods, bytes / 1024.0 / pods);
        Files.writeString(work.resolve("results.md"), report.toString());
    }

    private static void line(StringBuilder report, String format, Object... args) {
        String s = String.format(java.util.Locale.ROOT, format, args);
        System.out.println(s);
        report.append(s).append('\n');
    }

    /** Medians of direct and via-hub GETs of {@code path}, alternating, after a warm-up. */
    private static double[] compare(HttpClient direct, URI cloud, HttpClient local, URI hub, String path, int n) throws Exception {
        for (int i = 0; i < 20; i++) {
            timeMillis(direct, cloud.resolve(path), 200);
            timeMillis(local, hub.resolve(path), 200);
        }
        List<Double> d = new ArrayList<>();
        List<Double> h = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            d.add(timeMillis(direct, cloud.resolve(path), 200));
            h.add(timeMillis(local, hub.resolve(path), 200));
        }
        return new double[] {Samples.of(d).median(), Samples.of(h).median()};
    }

    private static double timeMillis(HttpClient http, URI uri, int expect) throws Exception {
        long t = System.nanoTime();
        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(uri).header("Accept", "application/json").build(),
                HttpResponse.BodyHandlers.ofByteArray());
        double ms = (System.nanoTime() - t) / 1e6;
        if (r.statusCode() != expect) {
            throw new IllegalStateException(uri + " answered " + r.statusCode() + ": " + new String(r.body(), StandardCharsets.UTF_8));
        }
        return ms;
    }

    /**
     * Opens one watch straight to the server and one through the hub, changes a pod's label
     * {@code n} times through the admin client (one merge patch each), and times each event's
     * arrival on both, from the moment the patch was sent.
     */
    private static double[] watchLatency(HttpClient direct, URI cloud, HttpClient local, URI hub, Path data, int n) throws Exception {
        String path = "/api/v1/pods?fieldSelector=spec.nodeName%3D" + NODE + "&watch=1&allowWatchBookmarks=false";
        Map<String, Long> seenDirect = new ConcurrentHashMap<>();
        Map<String, Long> seenHub = new ConcurrentHashMap<>();
        Thread a = reader(direct.send(HttpRequest.newBuilder(cloud.resolve(path)).build(),
                HttpResponse.BodyHandlers.ofInputStream()).body(), seenDirect);
        Thread b = reader(local.send(HttpRequest.newBuilder(hub.resolve(path)).build(),
                HttpResponse.BodyHandlers.ofInputStream()).body(), seenHub);
        Thread.sleep(2_000);
        List<Double> d = new ArrayList<>();
        List<Double> h = new ArrayList<>();
        try (KubernetesClient client = new KubernetesClientBuilder()
                .withConfig(Config.fromKubeconfig(Files.readString(data.resolve("admin.kubeconfig")))).build()) {
            for (int i = 0; i < n; i++) {
                String mark = "m" + i;
                long written = System.nanoTime();
                client.pods().inNamespace("default").withName("p-0").patch(
                        io.fabric8.kubernetes.client.dsl.base.PatchContext.of(io.fabric8.kubernetes.client.dsl.base.PatchType.JSON_MERGE),
                        "{\"metadata\":{\"labels\":{\"mark\":\"" + mark + "\"}}}");
                long until = written + Duration.ofSeconds(10).toNanos();
                while ((!seenDirect.containsKey(mark) || !seenHub.containsKey(mark)) && System.nanoTime() < until) {
                    Thread.sleep(1);
                }
                if (!seenDirect.containsKey(mark) || !seenHub.containsKey(mark)) {
                    throw new IllegalStateException("watch event " + mark + " did not arrive on both watches");
                }
                d.add((seenDirect.get(mark) - written) / 1e6);
                h.add((seenHub.get(mark) - written) / 1e6);
            }
        }
        a.interrupt();
        b.interrupt();
        return new double[] {Samples.of(d).median(), Samples.of(h).median()};
    }

    private static Thread reader(InputStream body, Map<String, Long> seen) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    long now = System.nanoTime();
                    java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"mark\":\"(m\\d+)\"").matcher(line);
                    if (m.find()) {
                        seen.putIfAbsent(m.group(1), now);
                    }
                }
            } catch (java.io.IOException ended) {
                // the benchmark is over
            }
        }, "watch-reader");
        t.setDaemon(true);
        t.start();
        return t;
    }
}
