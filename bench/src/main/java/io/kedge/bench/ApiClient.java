package io.kedge.bench;

import io.kedge.pki.Kubeconfig;
import io.kedge.pki.TlsMaterial;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;

/**
 * Talks to the server as its admin over HTTPS and HTTP/2. Each {@link HttpClient} holds one HTTP/2
 * connection that multiplexes all of its requests, so {@code connections} is the number of TCP
 * connections the load is spread over.
 */
final class ApiClient {
    static final String JSON = "application/json";
    /** What kubectl sends for {@code kubectl get}: a server-side Table, else plain JSON. */
    static final String KUBECTL_TABLE = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json";

    private final URI server;
    private final List<HttpClient> clients;
    private final AtomicInteger next = new AtomicInteger();

    private ApiClient(URI server, List<HttpClient> clients) {
        this.server = server;
        this.clients = clients;
    }

    static ApiClient connect(Path kubeconfigFile, int connections) {
        if (connections < 1) {
            throw new IllegalArgumentException("connections must be at least 1, got " + connections);
        }
        Kubeconfig kubeconfig;
        try {
            kubeconfig = Kubeconfig.read(kubeconfigFile);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read kubeconfig " + kubeconfigFile, e);
        }
        X509Certificate ca = kubeconfig.certificateAuthority().orElseThrow(() ->
                new IllegalArgumentException(kubeconfigFile + " has no certificate-authority-data"));
        SSLContext tls = TlsMaterial.context(kubeconfig.clientCertificate().orElseThrow(() ->
                new IllegalArgumentException(kubeconfigFile + " has no client certificate")), ca);
        List<HttpClient> clients = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
            clients.add(HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_2)
                    .sslContext(tls)
                    .connectTimeout(Duration.ofSeconds(10))
                    .build());
        }
        ApiClient api = new ApiClient(URI.create(kubeconfig.server()), clients);
        api.openConnections();
        return api;
    }

    /**
     * One request per client before any load, so each client sets up exactly one HTTP/2 connection
     * instead of racing several TLS handshakes when many requests start at once.
     */
    private void openConnections() {
        for (HttpClient client : clients) {
            Response r = send(client, "GET", "/api", null, JSON, Duration.ofSeconds(30));
            if (r.status() != 200) {
                throw new IllegalStateException("GET /api answered " + r.status() + ": " + r.body());
            }
        }
    }

    int connections() {
        return clients.size();
    }

    HttpClient connection(int index) {
        return clients.get(Math.floorMod(index, clients.size()));
    }

    URI uri(String path) {
        return server.resolve(path);
    }

    HttpRequest.Builder request(String path, String accept, Duration timeout) {
        return HttpRequest.newBuilder(uri(path)).timeout(timeout).header("Accept", accept);
    }

    Response get(String path) {
        return send("GET", path, null);
    }

    Response post(String path, String json) {
        return send("POST", path, json);
    }

    Response put(String path, String json) {
        return send("PUT", path, json);
    }

    /** A request on the next connection in turn; a transport failure comes back as status 0. */
    Response send(String method, String path, String json) {
        return send(connection(next.getAndIncrement()), method, path, json, JSON, Duration.ofSeconds(60));
    }

    Response send(HttpClient client, String method, String path, String json, String accept, Duration timeout) {
        HttpRequest.Builder b = request(path, accept, timeout);
        if (json == null) {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            b.header("Content-Type", JSON).method(method, HttpRequest.BodyPublishers.ofString(json));
        }
        try {
            HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(r.statusCode(), r.body());
        } catch (IOException e) {
            return new Response(0, e.getClass().getSimpleName() + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Response(0, "interrupted");
        }
    }

    record Response(int status, String body) {
        boolean ok() {
            return status >= 200 && status < 300;
        }
    }
}
