package io.kedge.bench;

import io.kedge.pki.CertificateAuthority;
import io.kedge.pki.Kubeconfig;
import io.kedge.tunnel.TunnelClient;
import io.kedge.tunnel.TunnelClientConfig;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The server's memory per idle tunnel (issue 6, "Benchmarks"): a real {@code kedge server}
 * process, then N hollow tunnel clients (this JVM, each with its own {@code system:node:} certificate,
 * nothing behind them) connected and left idle; the server's heap after a GC and its RSS, before
 * and after. Hollow clients stand in for agents: the server's side of a tunnel is the same.
 *
 * <p>Usage: {@code java -cp bench/target/kedge-bench.jar:bench/target/lib/* io.kedge.bench.TunnelMemoryBench
 * SERVER_CLASSPATH WORK_DIR [TUNNELS]}
 */
public final class TunnelMemoryBench {
    public static void main(String[] args) throws Exception {
        String classpath = args[0];
        Path work = Path.of(args[1]);
        int n = args.length > 2 ? Integer.parseInt(args[2]) : 1000;
        Files.createDirectories(work);
        Path data = work.resolve("server");
        ServerProcess server = ServerProcess.start(classpath, data, null, List.of("--disable-controllers"),
                work.resolve("server.log"), Duration.ofSeconds(120));
        URI url = URI.create(Kubeconfig.read(data.resolve("admin.kubeconfig")).server());
        CertificateAuthority ca = CertificateAuthority.load(data.resolve("pki"));
        Path certs = Files.createDirectories(work.resolve("certs"));
        List<TunnelClient> clients = new ArrayList<>();
        try {
            Thread.sleep(5_000);
            server.settleGc();
            double[] heapBefore = server.heapUsedAndCommittedMiB();
            double rssBefore = server.rssMiB();
            for (int i = 0; i < n; i++) {
                String node = "hollow-" + i;
                ca.issueClient("system:node:" + node, List.of("system:nodes"), Duration.ofDays(1))
                        .writeTo(certs.resolve(node + ".crt"), certs.resolve(node + ".key"));
                TunnelClient c = new TunnelClient(TunnelClientConfig.of(url, node, certs.resolve(node + ".crt"),
                        certs.resolve(node + ".key"), data.resolve("pki/ca.crt")));
                clients.add(c.start());
            }
            int connected = 0;
            for (TunnelClient c : clients) {
                connected += c.awaitConnected(Duration.ofSeconds(60)) ? 1 : 0;
            }
            Thread.sleep(15_000); // idle: only keepalives
            server.settleGc();
            double[] heapAfter = server.heapUsedAndCommittedMiB();
            double rssAfter = server.rssMiB();
            String report = String.format(java.util.Locale.ROOT,
                    "%d hollow tunnels, %d connected; server heap used after GC %.1f -> %.1f MiB (%.1f KiB per tunnel); "
                            + "RSS %.1f -> %.1f MiB (%.1f KiB per tunnel)%n",
                    n, connected, heapBefore[0], heapAfter[0], (heapAfter[0] - heapBefore[0]) * 1024 / n,
                    rssBefore, rssAfter, (rssAfter - rssBefore) * 1024 / n);
            System.out.print(report);
            Files.writeString(work.resolve("results.md"), report);
        } finally {
            clients.forEach(TunnelClient::close);
            server.close();
        }
    }
}
