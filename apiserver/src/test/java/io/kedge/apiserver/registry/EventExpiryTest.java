package io.kedge.apiserver.registry;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventExpiryTest {
    @Test
    void anEventUnchangedForTheTtlIsDeletedWhileOneThatKeepsRepeatingStays() throws Exception {
        Path dir = Files.createTempDirectory("kedge-event-ttl-test");
        try (KedgeServer server = new KedgeServer(new ServerConfig(dir, "127.0.0.1", 0, null, "sqlite", List.of(), "10.43.0.0/16",
                null, Duration.ofMinutes(5), 4, Duration.ofSeconds(30), null, null, Duration.ofSeconds(6))).start()) {
            CertificateAuthority ca = CertificateAuthority.load(dir.resolve("pki"));
            IssuedCertificate admin = Kubeconfig.read(server.adminKubeconfig()).clientCertificate().orElseThrow();
            HttpClient http = HttpClient.newBuilder().sslContext(TlsMaterial.context(admin, ca.certificate())).build();
            URI events = URI.create("https://127.0.0.1:" + server.port() + "/api/v1/namespaces/default/events");
            for (String name : List.of("once", "repeating")) {
                String body = "{\"apiVersion\":\"v1\",\"kind\":\"Event\",\"metadata\":{\"name\":\"" + name + "\"},\"involvedObject\":"
                        + "{\"kind\":\"Pod\",\"name\":\"p\",\"namespace\":\"default\"},\"reason\":\"Test\",\"message\":\"m\","
                        + "\"lastTimestamp\":\"" + Instant.now().toString() + "\",\"count\":1}";
                assertThat(http.send(HttpRequest.newBuilder(events).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString()).statusCode())
                        .isEqualTo(201);
            }
            Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
            int count = 1;
            while (status(http, events.resolve("events/once")) != 404) {
                assertThat(Instant.now()).as("the untouched event is deleted").isBefore(deadline);
                String patch = "{\"count\":" + (++count) + ",\"lastTimestamp\":\"" + Instant.now() + "\"}";
                assertThat(http.send(HttpRequest.newBuilder(events.resolve("events/repeating"))
                        .header("Content-Type", "application/merge-patch+json")
                        .method("PATCH", HttpRequest.BodyPublishers.ofString(patch)).build(), HttpResponse.BodyHandlers.ofString())
                        .statusCode()).isEqualTo(200);
                Thread.sleep(500);
            }
            assertThat(status(http, events.resolve("events/repeating"))).as("the repeating event is kept").isEqualTo(200);
        }
    }

    private static int status(HttpClient http, URI uri) throws Exception {
        return http.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
