package io.kedge.bench;

import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
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
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * EdgeHub's shared watches (issue 5): N identical local watches of a node's pods, as N informers on
 * one node open them (each LISTs, then watches from the list's version), first with sharing turned
 * off (every local watch its own cloud watch) and then on, in the same run against the same server.
 * Measured: the server's open pod watches, and the bytes per second the server sends down the node's
 * uplink (a counting TCP relay between hub and server; TLS included) while one pod changes 5 times a
 * second.
 *
 * <p>Usage: {@code java -cp bench/target/kedge-bench.jar:bench/target/lib/* io.kedge.bench.SharedWatchBench
 * SERVER_CLASSPATH WORK_DIR [WATCHES] [WINDOWS]}
 */
public final class SharedWatchBench {
    private static final String NODE = "bench-shared-1";
    private static final Pattern POD_WATCHES = Pattern.compile("apiserver_longrunning_requests\\{resource=\"pods\"} ([0-9.]+)");
    private static final Duration WINDOW = Duration.ofSeconds(10);

    public static void main(String[] args) throws Exception {
        String classpath = args[0];
        Path work = Path.of(args[1]);
        int watches = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        int windows = args.length > 3 ? Integer.parseInt(args[3]) : 5;
        Files.createDirectories(work);
        Path data = work.resolve("server");
        ServerProcess server = ServerProcess.start(classpath, data, null, List.of("--disable-controllers"),
                work.resolve("server.log"), Duration.ofSeconds(120));
        Kubeconfig admin = Kubeconfig.read(data.resolve("admin.kubeconfig"));
        java.security.cert.X509Certificate ca = admin.certificateAuthority().orElseThrow();
        HttpClient adminHttp = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .sslContext(TlsMaterial.context(admin.clientCertificate().orElseThrow(), ca)).build();
        URI cloud = URI.create(admin.server());
        StringBuilder report = new StringBuilder();
        try (KubernetesClient client = new KubernetesClientBuilder()
                .withConfig(Config.fromKubeconfig(Files.readString(data.resolve("admin.kubeconfig")))).build();
             CountingRelay uplink = new CountingRelay(cloud.getPort())) {
            client.nodes().resource(new NodeBuilder().withNewMetadata().withName(NODE).endMetadata().build()).create();
            for (int i = 0; i < 20; i++) {
                client.pods().inNamespace("default").resource(new PodBuilder().withNewMetadata().withName("p-" + i)
                        .addToLabels("app", "bench").endMetadata().withNewSpec().withNodeName(NODE)
                        .addNewContainer().withName("c").withImage("busybox").endContainer().endSpec().build()).create();
            }
            IssuedCertificate node = CertificateAuthority.load(data.resolve("pki"))
                    .issueClient("system:node:" + NODE, List.of("system:nodes"), Duration.ofDays(1));
            HubConfig config = HubConfig.of(List.of(URI.create("https://127.0.0.1:" + uplink.port())),
                    Kubeconfig.withClientCertificate(admin.server(), ca, node), NODE, work.resolve("agent"), 0);
            line(report, "shared watches: %d identical local watches of node %s's 20 pods, one pod patched 5 times a second;"
                    + " %d windows of %d s each way", watches, NODE, windows, WINDOW.toSeconds());
            double[] before = run(config, false, watches, windows, client, uplink, adminHttp, cloud, report);
            double[] after = run(config, true, watches, windows, client, uplink, adminHttp, cloud, report);
            line(report, "with sharing / without: server watches %.0f / %.0f, uplink bytes/s %.0f / %.0f (%.2fx, %.1fx less)",
                    after[0], before[0], after[1], before[1], after[1] / before[1], before[1] / after[1]);
        } finally {
            server.close();
        }
        Files.writeString(work.resolve("results.md"), report.toString());
    }

    /** One hub, sharing on or off: the server's pod watches with {@code n} local watches open, and the median uplink bytes/s. */
    private static double[] run(HubConfig config, boolean sharing, int n, int windows, KubernetesClient admin, CountingRelay uplink,
                                HttpClient adminHttp, URI cloud, StringBuilder report) throws Exception {
        System.setProperty("kedge.hub.share-watches", Boolean.toString(sharing));
        HttpClient local = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        List<InputStream> streams = new ArrayList<>();
        List<AtomicLong> events = new ArrayList<>();
        try (EdgeHub hub = new EdgeHub(config).start()) {
            String list = "/api/v1/pods?fieldSelector=spec.nodeName%3D" + NODE;
            for (int i = 0; i < n; i++) {
                HttpResponse<String> listed = local.send(HttpRequest.newBuilder(hub.url().resolve(list))
                        .header("User-Agent", "informer-" + i).build(), HttpResponse.BodyHandlers.ofString());
                Matcher rv = Pattern.compile("\"resourceVersion\":\"(\\d+)\"").matcher(listed.body());
                if (listed.statusCode() != 200 || !rv.find()) {
                    throw new IllegalStateException("LIST through the hub: HTTP " + listed.statusCode());
                }
                HttpResponse<InputStream> watch = local.send(HttpRequest.newBuilder(hub.url().resolve(list
                        + "&watch=true&allowWatchBookmarks=true&timeoutSeconds=600&resourceVersion=" + rv.group(1)))
                        .header("User-Agent", "informer-" + i).build(), HttpResponse.BodyHandlers.ofInputStream());
                streams.add(watch.body());
                events.add(count(watch.body()));
            }
            Thread.sleep(2_000);
            double serverWatches = serverPodWatches(adminHttp, cloud);
            List<Double> rates = new ArrayList<>();
            int patches = 0;
            for (int w = 0; w < windows; w++) {
                long bytes0 = uplink.bytesFromServer();
                long t0 = System.nanoTime();
                long end = t0 + WINDOW.toNanos();
                while (System.nanoTime() < end) {
                    admin.pods().inNamespace("default").withName("p-0").patch(PatchContext.of(PatchType.JSON_MERGE),
                            "{\"metadata\":{\"labels\":{\"mark\":\"m" + patches++ + "\"}}}");
                    Thread.sleep(200);
                }
                rates.add((uplink.bytesFromServer() - bytes0) / ((System.nanoTime() - t0) / 1e9));
            }
            Thread.sleep(1_000);
            long fewest = events.stream().mapToLong(AtomicLong::get).min().orElse(0);
            double rate = Samples.of(rates).median();
            line(report, "sharing %s: the server holds %.0f pod watches for %d local ones; uplink %.0f bytes/s (median of %d windows);"
                            + " kedge_hub_upstream_watches %s; each local watch got at least %d of %d events",
                    sharing ? "on " : "off", serverWatches, n, rate, windows, metric(hub, "kedge_hub_upstream_watches"), fewest, patches);
            for (InputStream s : streams) {
                s.close();
            }
            return new double[] {serverWatches, rate};
        } finally {
            System.clearProperty("kedge.hub.share-watches");
        }
    }

    private static AtomicLong count(InputStream body) {
        AtomicLong seen = new AtomicLong();
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    if (line.contains("\"mark\":\"m")) {
                        seen.incrementAndGet();
                    }
                }
            } catch (java.io.IOException ended) {
                // the run is over
            }
        }, "watch-counter");
        t.setDaemon(true);
        t.start();
        return seen;
    }

    private static double serverPodWatches(HttpClient admin, URI cloud) throws Exception {
        String body = admin.send(HttpRequest.newBuilder(cloud.resolve("/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
        Matcher m = POD_WATCHES.matcher(body);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    private static String metric(EdgeHub hub, String name) {
        Matcher m = Pattern.compile("(?m)^" + name + " ([0-9.]+)$").matcher(hub.metricsText());
        return m.find() ? m.group(1) : "?";
    }

    private static void line(StringBuilder report, String format, Object... args) {
        String s = String.format(java.util.Locale.ROOT, format, args);
        System.out.println(s);
        report.append(s).append('\n');
    }
}
