package io.kedge.apiserver.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ServiceAccountIssuerDiscoveryTest {
    private KedgeServer server;
    private CertificateAuthority ca;
    private URI base;

    @BeforeAll
    void start() throws Exception {
        Path dir = Files.createTempDirectory("kedge-oidc-test");
        server = new KedgeServer(new ServerConfig(dir, "127.0.0.1", 0, null, "sqlite", List.of(), "10.43.0.0/16", null,
                Duration.ofMinutes(5), 4, Duration.ofSeconds(30))).start();
        ca = CertificateAuthority.load(dir.resolve("pki"));
        base = URI.create("https://127.0.0.1:" + server.port());
    }

    @AfterAll
    void stop() {
        server.close();
    }

    @Test
    void theKeySetVerifiesTheIssuersTokensAndHoldsNoPrivatePart() throws Exception {
        ServiceAccountKey key = ServiceAccountKey.generate();
        String token = new ServiceAccountTokenIssuer(key, Clock.systemUTC()).issue("default", "app", "uid-1", List.of(),
                List.of(ServiceAccountTokenIssuer.ISSUER), 600).token();

        JWKSet set = JWKSet.parse(new String(new ServiceAccountIssuerDiscovery(key, () -> "h:1").keySet(), StandardCharsets.UTF_8));

        assertThat(set.getKeys()).hasSize(1);
        ECKey published = (ECKey) set.getKeys().get(0);
        assertThat(published.isPrivate()).isFalse();
        assertThat(published.getKeyID()).isEqualTo(key.keyId());
        assertThat(published.getAlgorithm().getName()).isEqualTo("ES256");
        assertThat(published.getKeyUse().identifier()).isEqualTo("sig");
        assertThat(JWSObject.parse(token).verify(new ECDSAVerifier(published))).isTrue();
    }

    @Test
    void theConfigurationNamesTheIssuerAndWhereItsKeysAre() {
        JsonNode doc = Json.parse(new ServiceAccountIssuerDiscovery(ServiceAccountKey.generate(), () -> "10.0.0.1:6443")
                .configuration(), false);

        assertThat(doc.path("issuer").asText()).isEqualTo(ServiceAccountTokenIssuer.ISSUER);
        assertThat(doc.path("jwks_uri").asText()).isEqualTo("https://10.0.0.1:6443/openid/v1/jwks");
        assertThat(doc.path("id_token_signing_alg_values_supported").get(0).asText()).isEqualTo("ES256");
        assertThat(doc.path("response_types_supported").get(0).asText()).isEqualTo("id_token");
        assertThat(doc.path("subject_types_supported").get(0).asText()).isEqualTo("public");
    }

    @Test
    void serviceAccountsAndNodesReadTheDocumentsAndOtherUsersAreForbidden() throws Exception {
        HttpClient admin = client(Kubeconfig.read(server.adminKubeconfig()).clientCertificate().orElseThrow());
        send(admin, "POST", "/api/v1/namespaces/default/serviceaccounts",
                "{\"apiVersion\":\"v1\",\"kind\":\"ServiceAccount\",\"metadata\":{\"name\":\"oidc-reader\"}}", null);
        HttpResponse<String> issued = send(admin, "POST", "/api/v1/namespaces/default/serviceaccounts/oidc-reader/token",
                "{\"apiVersion\":\"authentication.k8s.io/v1\",\"kind\":\"TokenRequest\",\"spec\":{}}", null);
        assertThat(issued.statusCode()).as(issued.body()).isEqualTo(201);
        String token = Json.parse(issued.body().getBytes(StandardCharsets.UTF_8), false).path("status").path("token").asText();
        HttpClient anonymous = client(null);
        HttpClient node = client(ca.issueClient("system:node:oidc-1", List.of("system:nodes"), Duration.ofHours(1)));
        HttpClient stranger = client(ca.issueClient("jane", List.of(), Duration.ofHours(1)));

        HttpResponse<String> config = send(anonymous, "GET", "/.well-known/openid-configuration", null, token);
        assertThat(config.statusCode()).isEqualTo(200);
        assertThat(config.headers().firstValue("Cache-Control")).contains("public, max-age=3600");
        String keysPath = URI.create(Json.parse(config.body().getBytes(StandardCharsets.UTF_8), false).path("jwks_uri").asText()).getPath();
        HttpResponse<String> keys = send(node, "GET", keysPath, null, null);
        assertThat(keys.statusCode()).isEqualTo(200);
        assertThat(keys.headers().firstValue("Content-Type")).contains("application/jwk-set+json");
        ECKey published = (ECKey) JWKSet.parse(keys.body()).getKeys().get(0);
        assertThat(JWSObject.parse(token).verify(new ECDSAVerifier(published))).isTrue();

        assertThat(send(stranger, "GET", "/openid/v1/jwks", null, null).statusCode()).isEqualTo(403);
        assertThat(send(anonymous, "GET", "/openid/v1/jwks", null, null).statusCode()).isEqualTo(401);
    }

    private HttpClient client(IssuedCertificate identity) {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .sslContext(TlsMaterial.context(identity, ca.certificate())).build();
    }

    private HttpResponse<String> send(HttpClient http, String method, String path, String body, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(20))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
