package io.kedge.netproxy.cloud;

import static org.assertj.core.api.Assertions.assertThat;

import io.kedge.apiserver.KedgeServer;
import io.kedge.apiserver.ServerConfig;
import io.kedge.pki.CertificateAuthority;
import io.kedge.pki.IssuedCertificate;
import io.kedge.pki.Kubeconfig;
import io.kedge.pki.TlsMaterial;
import io.kedge.tunnel.TunnelClient;
import io.kedge.tunnel.TunnelClientConfig;
import io.kedge.tunnel.TunnelProtocol;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * End to end in one JVM: a real server with a cloud unit, a cloud node and a Service whose ready
 * endpoint (a TCP echo server here) runs on that node; the tunnel client of edge node east-1; and
 * the forwarder on the edge, whose listener reaches the Service through the tunnel only.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CloudServiceThroughServerTest {
    private Path dir;
    private KedgeServer server;
    private HttpClient http;
    private ServerSocket echo;
    private TunnelClient agent;
    private CloudServiceForwarder forwarder;

    @BeforeAll
    void start() throws Exception {
        // endpoints may not be loopback addresses, so the echo server listens on one of the machine's own others
        Optional<InetAddress> own = ownNonLoopbackAddress();
        Assumptions.assumeTrue(own.isPresent(), "the machine has no non-loopback IPv4 address for the endpoint");
        echo = new ServerSocket(0, 50, own.get());
        Thread t = new Thread(this::echoForever, "echo");
        t.setDaemon(true);
        t.start();

        dir = Files.createTempDirectory("kedge-cloud-service-test");
        server = new KedgeServer(new ServerConfig(dir, "127.0.0.1", 0, null, "sqlite", List.of(), "10.43.0.0/16", null,
                Duration.ofMinutes(5), 4, Duration.ofSeconds(30))).start();
        CertificateAuthority ca = CertificateAuthority.load(dir.resolve("pki"));
        IssuedCertificate admin = Kubeconfig.read(server.adminKubeconfig()).clientCertificate().orElseThrow();
        http = HttpClient.newBuilder().sslContext(TlsMaterial.context(admin, ca.certificate()))
                .connectTimeout(Duration.ofSeconds(10)).build();

        post("/apis/edge.kedge.io/v1alpha1/edgeunits", "{'apiVersion':'edge.kedge.io/v1alpha1','kind':'EdgeUnit',"
                + "'metadata':{'name':'cloud'},'spec':{'type':'Cloud'}}");
        post("/apis/edge.kedge.io/v1alpha1/edgeunits", "{'apiVersion':'edge.kedge.io/v1alpha1','kind':'EdgeUnit',"
                + "'metadata':{'name':'east'},'spec':{'type':'Edge'}}");
        post("/api/v1/nodes", "{'apiVersion':'v1','kind':'Node','metadata':{'name':'cloud-1','labels':{'kedge.io/unit':'cloud'}}}");
        post("/api/v1/nodes", "{'apiVersion':'v1','kind':'Node','metadata':{'name':'east-1','labels':{'kedge.io/unit':'east'}}}");
        String endpoint = own.get().getHostAddress();
        service("echo", "cloud-1", endpoint);
        service("local-only", "east-1", endpoint);

        Path certs = Files.createDirectories(dir.resolve("agent"));
        ca.issueClient("system:node:east-1", List.of("system:nodes"), Duration.ofDays(1))
                .writeTo(certs.resolve("node.crt"), certs.resolve("node.key"));
        agent = new TunnelClient(TunnelClientConfig.of(URI.create("https://127.0.0.1:" + server.port()), "east-1",
                        certs.resolve("node.crt"), certs.resolve("node.key"), dir.resolve("pki").resolve("ca.crt"))
                .withTargets(Map.of(TunnelProtocol.KUBELET, new InetSocketAddress(InetAddress.getLoopbackAddress(), 1)))
                .withBackoff(Duration.ofMillis(100), Duration.ofMillis(500))).start();
        assertThat(agent.awaitConnected(Duration.ofSeconds(30))).isTrue();
        forwarder = CloudServiceForwarder.overClients(List.of(agent), InetAddress.getLoopbackAddress());
    }

    /** A Service with port 7 (named "echo") whose one ready endpoint is the echo server, placed on {@code node}. */
    private void service(String name, String node, String address) throws Exception {
        post("/api/v1/namespaces/default/services", "{'apiVersion':'v1','kind':'Service','metadata':{'name':'" + name + "'},"
                + "'spec':{'ports':[{'name':'echo','port':7,'protocol':'TCP','targetPort':" + echo.getLocalPort() + "}]}}");
        post("/apis/discovery.k8s.io/v1/namespaces/default/endpointslices", "{'apiVersion':'discovery.k8s.io/v1',"
                + "'kind':'EndpointSlice','metadata':{'name':'" + name + "-1','labels':{'kubernetes.io/service-name':'" + name
                + "'}},'addressType':'IPv4','ports':[{'name':'echo','port':" + echo.getLocalPort() + ",'protocol':'TCP'}],"
                + "'endpoints':[{'addresses':['" + address + "'],'nodeName':'" + node + "','conditions':{'ready':true}}]}");
    }

    private static Optional<InetAddress> ownNonLoopbackAddress() throws SocketException {
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (!nic.isUp() || nic.isLoopback()) {
                continue;
            }
            for (InetAddress a : Collections.list(nic.getInetAddresses())) {
                if (a instanceof Inet4Address && !a.isLinkLocalAddress() && !a.isLoopbackAddress()) {
                    return Optional.of(a);
                }
            }
        }
        return Optional.empty();
    }

    private void echoForever() {
        while (!echo.isClosed()) {
            try {
                Socket s = echo.accept();
                Thread t = new Thread(() -> {
                    try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
                        in.transferTo(out);
                    } catch (IOException ignored) {
                        // the test ended the connection
                    }
                }, "echo-connection");
                t.setDaemon(true);
                t.start();
            } catch (IOException closed) {
                return;
            }
        }
    }

    @AfterAll
    void stop() throws IOException {
        if (forwarder != null) forwarder.close();
        if (agent != null) agent.close();
        if (server != null) server.close();
        if (echo != null) echo.close();
    }

    private void post(String path, String json) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + server.port() + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json.replace('\'', '"'))).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    }

    /** Sends a line through the listener and returns what came back before the connection ended or the line was complete. */
    private static String roundTrip(InetSocketAddress listener, String line) throws IOException {
        try (Socket s = new Socket()) {
            s.setSoTimeout(20_000);
            s.connect(listener, 10_000);
            s.getOutputStream().write(line.getBytes(StandardCharsets.UTF_8));
            byte[] back = s.getInputStream().readNBytes(line.length());
            return new String(back, StandardCharsets.UTF_8);
        }
    }

    @Test
    void aPodsConnectionToACloudServiceReachesItsEndpointThroughTheTunnelAndBack() throws Exception {
        InetSocketAddress listener = forwarder.listenerFor("default", "echo", 7);
        String line = "hello from east-1\n";
        String back = "";
        // the server reads the objects from its caches, which follow the store a moment after each write
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!back.equals(line) && System.nanoTime() < deadline) {
            back = roundTrip(listener, line);
            if (!back.equals(line)) {
                Thread.sleep(50);
            }
        }
        assertThat(back).isEqualTo(line);
    }

    @Test
    void aServiceWithoutCloudEndpointsIsRefusedAndTheLocalConnectionClosed() throws Exception {
        InetSocketAddress listener = forwarder.listenerFor("default", "local-only", 7);
        assertThat(roundTrip(listener, "anyone there?\n")).isEmpty();
        assertThat(forwarder.listenerFor("default", "missing", 7)).isNotEqualTo(listener);
        assertThat(roundTrip(forwarder.listenerFor("default", "missing", 7), "anyone there?\n")).isEmpty();
    }
}
