package io.kedge.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kedge.pki.Kubeconfig;
import io.kedge.pki.TlsMaterial;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import javax.net.ssl.SSLContext;

/** Raw HTTPS requests with the admin's client certificate, for what no CLI sends on purpose. */
final class ApiClient {
    static final ObjectMapper JSON = new ObjectMapper();
    final String base;
    final SSLContext tls;
    private final HttpClient http;

    ApiClient(Path kubeconfig) throws IOException {
        this(kubeconfig, HttpClient.Version.HTTP_2);
    }

    ApiClient(Path kubeconfig, HttpClient.Version version) throws IOException {
        Kubeconfig k = Kubeconfig.read(kubeconfig);
        this.base = k.server();
        this.tls = TlsMaterial.context(k.clientCertificate().orElse(null), k.certificateAuthority().orElseThrow());
        this.http = HttpClient.newBuilder().sslContext(tls).version(version).connectTimeout(Duration.ofSeconds(10)).build();
    }

    record Reply(int code, String body) {
        JsonNode json() throws IOException {
            return JSON.readTree(body);
        }
    }

    Reply send(String method, String path, String contentType, byte[] body) throws IOException, InterruptedException {
        return send(method, path, contentType, body, false);
    }

    /** {@code expectContinue}: send the body only after the server agreed to take it, as careful clients do. */
    Reply send(String method, String path, String contentType, byte[] body, boolean expectContinue)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60))
                .expectContinue(expectContinue)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) b.header("Content-Type", contentType);
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Reply(r.statusCode(), r.body());
    }

    Reply get(String path) throws IOException, InterruptedException {
        return send("GET", path, null, null);
    }

    Reply post(String path, String json) throws IOException, InterruptedException {
        return send("POST", path, "application/json", json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
