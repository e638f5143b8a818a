package io.kedge.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.kedge.api.Json;
import io.kedge.pki.CertificateAuthority;
import io.kedge.pki.Kubeconfig;
import io.kedge.pki.TlsMaterial;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class SystemObjectsTest {
    @Test
    void theKubernetesServiceGetsAnEndpointSliceWithTheAdvertisedAddress() throws Exception {
        Path dir = Files.createTempDirectory("kedge-system-objects-test");
        try (KedgeServer server = new KedgeServer(new ServerConfig(dir, "127.0.0.1", 0, "192.0.2.5", "sqlite", List.of(),
                "10.43.0.0/16", null, Duration.ofMinutes(5), 4, Duration.ofSeconds(30))).start()) {
            HttpClient admin = HttpClient.newBuilder().sslContext(TlsMaterial.context(
                    Kubeconfig.read(server.adminKubeconfig()).clientCertificate().orElseThrow(),
                    CertificateAuthority.load(dir.resolve("pki")).certificate())).build();
            HttpResponse<byte[]> r = admin.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + server.port()
                    + "/apis/discovery.k8s.io/v1/namespaces/default/endpointslices/kubernetes")).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(r.statusCode()).isEqualTo(200);
            JsonNode slice = Json.parse(r.body(), false);

            assertThat(slice.path("metadata").path("labels").path("kubernetes.io/service-name").asText()).isEqualTo("kubernetes");
            assertThat(slice.path("addressType").asText()).isEqualTo("IPv4");
            assertThat(slice.path("endpoints").get(0).path("addresses").get(0).asText()).isEqualTo("192.0.2.5");
            assertThat(slice.path("endpoints").get(0).path("conditions").path("ready").asBoolean()).isTrue();
            JsonNode port = slice.path("ports").get(0);
            assertThat(port.path("name").asText()).isEqualTo("https");
            assertThat(port.path("port").asInt()).isEqualTo(server.port());
            assertThat(port.path("protocol").asText()).isEqualTo("TCP");
        }
    }
}
