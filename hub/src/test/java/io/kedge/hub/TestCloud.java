package io.kedge.hub;

import com.fasterxml.jackson.databind.JsonNode;
import io.kedge.api.Json;
import io.kedge.apiserver.KedgeServer;
import io.kedge.apiserver.ServerConfig;
import io.kedge.pki.CertificateAuthority;
import io.kedge.pki.IssuedCertificate;
import io.kedge.pki.Kubeconfig;
import io.kedge.pki.TlsMaterial;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A real kedge API server over HTTPS in this JVM, the node's certificate ({@code system:node:NAME})
 * issued by its CA, an admin client straight to it, and a {@link Link} the hub reaches it through.
 */
final class TestCloud implements AutoCloseable {
    final KedgeServer server;
    final CertificateAuthority ca;
    private final HttpClient admin;
    private final URI direct;

    private TestCloud(KedgeServer server, CertificateAuthority ca, HttpClient admin) {
        this.server = server;
        this.ca = ca;
        this.admin = admin;
        this.direct = URI.create("https://127.0.0.1:" + server.port());
    }

    static TestCloud start(Path dir) throws Exception {
        KedgeServer server = new KedgeServer(new ServerConfig(dir.resolve("server"), "127.0.0.1", 0, null, "sqlite", List.of(),
                "10.43.0.0/16", null, Duration.ofMinutes(5), 4, Duration.ofSeconds(30))).start();
        CertificateAuthority ca = CertificateAuthority.load(dir.resolve("server/pki"));
        Kubeconfig adminConfig = Kubeconfig.read(server.adminKubeconfig());
        HttpClient admin = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .sslContext(TlsMaterial.context(adminConfig.clientCertificate().orElseThrow(), ca.certificate())).build();
        return new TestCloud(server, ca, admin);
    }

    /** A new uplink to the server, for one hub. */
    Link link() throws java.io.IOException {
        return new Link(server.port());
    }

    /** The hub's settings: the node's certificate, the cloud behind the link, a fast health check. */
    HubConfig hubConfig(Path dataDir, String node, Link link) {
        return hubConfig(dataDir, node, List.of(link));
    }

    /** The same with several servers, one behind each link, tried in this order. */
    HubConfig hubConfig(Path dataDir, String node, List<Link> links) {
        IssuedCertificate identity = ca.issueClient("system:node:" + node, List.of("system:nodes"), Duration.ofDays(1));
        return new HubConfig(links.stream().map(l -> URI.create("https://127.0.0.1:" + l.port())).toList(), identity, null,
                ca.certificate(), node, dataDir, 0, Duration.ofMillis(200), Duration.ofSeconds(5), Duration.ofSeconds(40));
    }

    JsonNode get(String path) throws Exception {
        return Json.parse(send("GET", path, null, null).body().getBytes(StandardCharsets.UTF_8), false);
    }

    HttpResponse<String> send(String method, String path, String contentType, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(direct.resolve(path)).timeout(Duration.ofSeconds(20));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return admin.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    JsonNode create(String path, String json) throws Exception {
        HttpResponse<String> r = send("POST", path, "application/json", json);
        if (r.statusCode() != 201) {
            throw new AssertionError("POST " + path + ": HTTP " + r.statusCode() + " " + r.body());
        }
        return Json.parse(r.body().getBytes(StandardCharsets.UTF_8), false);
    }

    static String pod(String name, String node, String app) {
        return "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"" + name + "\",\"namespace\":\"default\","
                + "\"labels\":{\"app\":\"" + app + "\"}},\"spec\":{\"nodeName\":\"" + node + "\",\"containers\":[{\"name\":\"c\","
                + "\"image\":\"busybox\"}]}}";
    }

    @Override
    public void close() throws Exception {
        server.close();
    }
}
