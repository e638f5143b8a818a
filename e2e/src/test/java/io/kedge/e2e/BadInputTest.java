package io.kedge.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Bad input gets a clear 4xx Status, never a 500, a stuck connection or a damaged store. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadInputTest {
    static final String CMS = "/api/v1/namespaces/default/configmaps";
    ServerProcess server;
    ApiClient api;

    @BeforeAll
    void start() throws Exception {
        server = new ServerProcess(java.nio.file.Files.createTempDirectory("kedge-bad-input"),
                List.of("--request-body-timeout", "2s")).start();
        api = new ApiClient(server.kubeconfig());
    }

    @AfterAll
    void stop() throws Exception {
        server.close();
    }

    static void assertStatus(ApiClient.Reply r, int code, String reason) throws Exception {
        assertThat(r.code()).as(r.body()).isEqualTo(code);
        JsonNode s = r.json();
        assertThat(s.path("kind").asText()).isEqualTo("Status");
        assertThat(s.path("reason").asText()).isEqualTo(reason);
        assertThat(s.path("message").asText()).isNotBlank();
    }

    @Test
    void malformedJsonIsABadRequest() throws Exception {
        assertStatus(api.post(CMS, "{\"metadata\": {\"name\": \"x\""), 400, "BadRequest");
        assertStatus(api.post(CMS, "[1,2,3]"), 400, "BadRequest");
        assertStatus(api.send("POST", CMS, "application/yaml", "a: [b\n  c: d".getBytes()), 400, "BadRequest");
    }

    @Test
    void aBodyWhoseKindDoesNotMatchTheUrlIsRejected() throws Exception {
        assertStatus(api.post(CMS, "{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"metadata\":{\"name\":\"x\"}}"), 400, "BadRequest");
        assertStatus(api.post(CMS, "{\"apiVersion\":\"apps/v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"x\"}}"), 400, "BadRequest");
    }

    @Test
    void invalidAndOverlongNamesAreInvalid() throws Exception {
        ApiClient.Reply upper = api.post(CMS, "{\"metadata\":{\"name\":\"Not_Valid\"}}");
        assertStatus(upper, 422, "Invalid");
        assertThat(upper.json().path("details").path("causes").get(0).path("field").asText()).isEqualTo("metadata.name");
        assertStatus(api.post(CMS, "{\"metadata\":{\"name\":\"" + "a".repeat(300) + "\"}}"), 422, "Invalid");
    }

    @Test
    void aBodyOverThreeMebibytesIsTooLarge() throws Exception {
        // a raw connection: the answer must come from the declared length alone, before the body is read
        URI uri = URI.create(api.base);
        try (SSLSocket s = (SSLSocket) api.tls.getSocketFactory().createSocket(uri.getHost(), uri.getPort())) {
            s.setSoTimeout(20_000);
            OutputStream out = s.getOutputStream();
            out.write(("POST " + CMS + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: "
                    + (3 * 1024 * 1024 + 10) + "\r\n\r\n{\"metadata\":{\"name\":\"big\"}").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            StringBuilder reply = new StringBuilder();
            byte[] buf = new byte[4096];
            InputStream in = s.getInputStream();
            for (int n; !reply.toString().contains("\"code\":413") && (n = in.read(buf)) > 0; ) {
                reply.append(new String(buf, 0, n, StandardCharsets.UTF_8));
            }
            assertThat(reply.toString()).startsWith("HTTP/1.1 413").contains("\"reason\":\"RequestEntityTooLarge\"");
        }
        assertThat(api.get(CMS + "/big").code()).isEqualTo(404);
    }

    @Test
    void jsonNestedTenThousandDeepIsABadRequest() throws Exception {
        String deep = "{\"metadata\":{\"name\":\"deep\"},\"data\":" + "[".repeat(10_000) + "]".repeat(10_000) + "}";
        assertStatus(api.post(CMS, deep), 400, "BadRequest");
    }

    @Test
    void unknownFieldsUnderStrictValidationAreRejected() throws Exception {
        ApiClient.Reply r = api.post(CMS + "?fieldValidation=Strict", "{\"metadata\":{\"name\":\"strict\"},\"datta\":{}}");
        assertStatus(r, 400, "BadRequest");
        assertThat(r.json().path("message").asText()).contains("datta");
        assertStatus(api.post(CMS + "?fieldValidation=Strict", "{\"metadata\":{\"name\":\"dup\",\"name\":\"dup2\"}}"), 400, "BadRequest");
    }

    @Test
    void badSelectorsResourceVersionsAndContinueTokensAreBadRequests() throws Exception {
        assertStatus(api.get(CMS + "?labelSelector=a%20in%20(b"), 400, "BadRequest");
        assertStatus(api.get(CMS + "?fieldSelector=spec.nodeName%3Dx"), 400, "BadRequest");
        assertStatus(api.get(CMS + "?resourceVersion=abc"), 400, "BadRequest");
        assertStatus(api.get(CMS + "?limit=1&continue=not-a-token"), 400, "BadRequest");
        assertStatus(api.get(CMS + "?watch=true&resourceVersion=-5"), 400, "BadRequest");
    }

    @Test
    void unknownResourcesAndMethodsGetNotFoundAndMethodNotAllowed() throws Exception {
        assertStatus(api.get("/api/v1/namespaces/default/gizmos"), 404, "NotFound");
        assertStatus(api.get("/apis/nope.example.com/v1/things"), 404, "NotFound");
        assertStatus(api.send("PUT", CMS, "application/json", "{}".getBytes()), 405, "MethodNotAllowed");
    }

    @Test
    void requestsWithoutCredentialsOrWithAWrongTokenAreUnauthorized() throws Exception {
        HttpClient anonymous = HttpClient.newBuilder().sslContext(
                io.kedge.pki.TlsMaterial.context(null, io.kedge.pki.Kubeconfig.read(server.kubeconfig()).certificateAuthority().orElseThrow())).build();
        HttpResponse<String> none = anonymous.send(HttpRequest.newBuilder(URI.create(api.base + CMS)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(none.statusCode()).isEqualTo(401);
        HttpResponse<String> wrong = anonymous.send(HttpRequest.newBuilder(URI.create(api.base + CMS))
                .header("Authorization", "Bearer not-a-token").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(wrong.body()).contains("\"reason\":\"Unauthorized\"");
        HttpResponse<String> version = anonymous.send(HttpRequest.newBuilder(URI.create(api.base + "/version")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(version.statusCode()).as("/version is open to all").isEqualTo(200);
    }

    @Test
    void aClientThatNeverFinishesItsBodyIsTimedOutAndDisconnected() throws Exception {
        URI uri = URI.create(api.base);
        try (SSLSocket s = (SSLSocket) api.tls.getSocketFactory().createSocket(uri.getHost(), uri.getPort())) {
            s.setSoTimeout(20_000);
            OutputStream out = s.getOutputStream();
            out.write(("POST " + CMS + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"meta")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            String reply = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertThat(reply).startsWith("HTTP/1.1 408").contains("\"reason\":\"Timeout\"");
        }
    }

    @Test
    void thousandsOfMutatedBodiesLeaveEveryStoredObjectIntact() throws Exception {
        Map<String, String> stored = new HashMap<>();
        for (int i = 0; i < 20; i++) {
            String name = "intact-" + i;
            String body = "{\"metadata\":{\"name\":\"" + name + "\",\"labels\":{\"k\":\"v" + i + "\"}},\"data\":{\"n\":\"" + i + "\"}}";
            assertThat(api.post(CMS, body).code()).isEqualTo(201);
            stored.put(name, String.valueOf(i));
        }
        Random random = new Random(42);
        String seed = "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"intact-3\",\"labels\":{\"k\":\"v\"}},"
                + "\"data\":{\"n\":\"changed\",\"list\":\"[1,2]\"}}";
        List<Integer> codes = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            byte[] mutated = mutate(seed.getBytes(StandardCharsets.UTF_8), random);
            String method = switch (i % 4) { case 0 -> "POST"; case 1 -> "PUT"; case 2 -> "PATCH"; default -> "POST"; };
            String path = method.equals("POST") ? CMS : CMS + "/intact-" + (i % 20);
            String type = method.equals("PATCH") ? (i % 8 == 2 ? "application/json-patch+json" : "application/merge-patch+json")
                    : "application/json";
            ApiClient.Reply r = api.send(method, path, type, mutated);
            codes.add(r.code());
            assertThat(r.code()).as("mutation %d of %s answered %s", i, new String(mutated, StandardCharsets.UTF_8), r.body())
                    .isLessThan(500);
        }
        assertThat(codes).as("most mutations are refused").filteredOn(c -> c >= 400).hasSizeGreaterThan(1000);
        JsonNode list = api.get(CMS).json();
        assertThat(list.path("items").isArray()).isTrue();
        for (JsonNode item : list.path("items")) {
            assertThat(item.path("metadata").path("name").asText()).isNotEmpty();
            assertThat(item.path("metadata").path("uid").asText()).isNotEmpty();
        }
        for (var e : stored.entrySet()) {
            ApiClient.Reply r = api.get(CMS + "/" + e.getKey());
            assertThat(r.code()).isIn(200, 404);
            if (r.code() == 200) {
                assertThat(r.json().path("metadata").path("name").asText()).isEqualTo(e.getKey());
            }
        }
    }

    static byte[] mutate(byte[] in, Random random) {
        byte[] b = in.clone();
        switch (random.nextInt(5)) {
            case 0 -> b[random.nextInt(b.length)] = (byte) random.nextInt(256);
            case 1 -> b = java.util.Arrays.copyOf(b, random.nextInt(b.length));
            case 2 -> {
                int at = random.nextInt(b.length);
                byte[] c = new byte[b.length + 1];
                System.arraycopy(b, 0, c, 0, at);
                byte[] tokens = "{}[]\",:\\0-9e".getBytes(StandardCharsets.US_ASCII);
                c[at] = tokens[random.nextInt(tokens.length)];
                System.arraycopy(b, at, c, at + 1, b.length - at);
                b = c;
            }
            case 3 -> {
                for (int k = 0; k < 3; k++) b[random.nextInt(b.length)] = (byte) "{}[]\",:nulltrue".charAt(random.nextInt(15));
            }
            default -> {
                String s = new String(b, StandardCharsets.UTF_8);
                s = s.replace("\"changed\"", random.nextBoolean() ? "123" : "{\"x\":null}")
                        .replace("{\"k\":\"v\"}", random.nextBoolean() ? "[]" : "\"str\"");
                b = s.getBytes(StandardCharsets.UTF_8);
            }
        }
        return b;
    }
}
