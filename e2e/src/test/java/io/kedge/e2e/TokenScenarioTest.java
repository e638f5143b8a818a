package io.kedge.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
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
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Service-account and bootstrap tokens with kubectl 1.35 against a real {@code kedge server}: the
 * admin issues tokens with {@code kubectl create token}, and a kubeconfig that holds only the
 * cluster CA uses them. Every rejected token gets the same bare 401.
 */
class TokenScenarioTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration LONG = Duration.ofSeconds(60);
    private static final String NS = "tokens";

    @TempDir
    static Path dir;
    private static ServerProcess server;
    private static Cli admin;
    private static Cli anonymous;
    private static HttpClient http;

    @BeforeAll
    static void startServer() throws Exception {
        server = new ServerProcess(dir.resolve("server"), List.of()).start();
        admin = new Cli("kubectl-1.35", server.kubeconfig());
        Path caOnly = dir.resolve("ca-only.kubeconfig");
        Files.writeString(caOnly, """
                apiVersion: v1
                kind: Config
                clusters: [{name: kedge, cluster: {server: "%s", certificate-authority: "%s"}}]
                users: [{name: bearer, user: {}}]
                contexts: [{name: kedge, context: {cluster: kedge, user: bearer}}]
                current-context: kedge
                """.formatted(server.url(), server.dataDir().resolve("pki/ca.crt")));
        anonymous = new Cli("kubectl-1.35", caOnly);
        http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
                .sslContext(TlsMaterial.context(null, Kubeconfig.read(server.kubeconfig()).certificateAuthority().orElseThrow()))
                .build();
        admin.run("create", "namespace", NS).ok();
        Await.until("the default service account", LONG,
                () -> admin.run("get", "serviceaccount", "default", "-n", NS).exit() == 0);
    }

    @AfterAll
    static void stopServer() throws Exception {
        if (server != null) server.close();
    }

    private static String createToken(String... extra) throws Exception {
        String[] args = new String[4 + extra.length];
        args[0] = "create";
        args[1] = "token";
        args[2] = "-n";
        args[3] = NS;
        System.arraycopy(extra, 0, args, 4, extra.length);
        return admin.run(args).ok().out().trim();
    }

    private static Cli.Result as(String token, String... args) throws Exception {
        String[] full = new String[args.length + 1];
        full[0] = "--token=" + token;
        System.arraycopy(args, 0, full, 1, args.length);
        return anonymous.run(full);
    }

    private static JsonNode whoami(String token) throws Exception {
        return JSON.readTree(as(token, "auth", "whoami", "-o", "json").ok().out()).path("status").path("userInfo");
    }

    /** The token is refused by kubectl with a 401, and the raw answer says nothing beyond "Unauthorized". */
    private static void assertRefused(String token) throws Exception {
        Cli.Result r = as(token, "get", "pods", "-n", NS);
        assertThat(r.exit()).isNotZero();
        // kubectl words a 401 during discovery as a request for credentials
        assertThat(r.err()).containsAnyOf("(Unauthorized)", "the server has asked for the client to provide credentials");
        HttpResponse<String> raw = http.send(HttpRequest.newBuilder(URI.create(server.url() + "/api/v1/namespaces/" + NS + "/pods"))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(raw.statusCode()).isEqualTo(401);
        JsonNode status = JSON.readTree(raw.body());
        assertThat(status.path("message").asText()).isEqualTo("Unauthorized");
        assertThat(status.path("reason").asText()).isEqualTo("Unauthorized");
        assertThat(status.has("details")).isFalse();
    }

    @Test
    void aCreatedTokenIsTheServiceAccountAndReadsPodsOnceRbacGrantsIt() throws Exception {
        String token = createToken("default", "--duration", "10m");

        Cli.Result denied = as(token, "get", "pods", "-n", NS);
        assertThat(denied.exit()).isNotZero();
        assertThat(denied.err()).contains("User \"system:serviceaccount:tokens:default\" cannot list resource \"pods\"");
        admin.run("create", "rolebinding", "default-view", "--clusterrole=view", "--serviceaccount=" + NS + ":default",
                "-n", NS).ok();
        Await.until("the binding lets the token read pods", LONG, () -> as(token, "get", "pods", "-n", NS).exit() == 0);
        assertThat(as(token, "get", "pods", "-n", NS).ok().err()).contains("No resources found");
        JsonNode user = whoami(token);
        assertThat(user.path("username").asText()).isEqualTo("system:serviceaccount:tokens:default");
        assertThat(user.path("groups")).extracting(JsonNode::asText)
                .containsExactly("system:serviceaccounts", "system:serviceaccounts:tokens", "system:authenticated");
        String saUid = admin.run("get", "sa", "default", "-n", NS, "-o", "jsonpath={.metadata.uid}").ok().out();
        assertThat(user.path("uid").asText()).isEqualTo(saUid);
    }

    @Test
    void aTokenBoundToAPodStopsWorkingOnceThePodIsDeleted() throws Exception {
        admin.run("run", "bound", "-n", NS, "--image=busybox").ok();
        String token = createToken("default", "--duration", "10m", "--audience", "https://kubernetes.default.svc.cluster.local",
                "--bound-object-kind", "Pod", "--bound-object-name", "bound");
        JsonNode user = whoami(token);
        assertThat(user.path("extra").path("authentication.kubernetes.io/pod-name")).extracting(JsonNode::asText)
                .containsExactly("bound");

        admin.run("delete", "pod", "bound", "-n", NS, "--grace-period=0", "--force").ok();
        Await.until("the pod is gone", LONG, () -> admin.run("get", "pod", "bound", "-n", NS).exit() != 0);

        assertRefused(token);
    }

    @Test
    void aPodGetsItsServiceAccountAndTheTokenVolume() throws Exception {
        admin.run("run", "mounted", "-n", NS, "--image=busybox").ok();
        JsonNode spec = JSON.readTree(admin.run("get", "pod", "mounted", "-n", NS, "-o", "json").ok().out()).path("spec");

        assertThat(spec.path("serviceAccountName").asText()).isEqualTo("default");
        assertThat(spec.path("volumes").get(0).path("name").asText()).startsWith("kube-api-access-");
        assertThat(spec.path("containers").get(0).path("volumeMounts").get(0).path("mountPath").asText())
                .isEqualTo("/var/run/secrets/kubernetes.io/serviceaccount");
        Await.until("kube-root-ca.crt", LONG, () -> admin.run("get", "configmap", "kube-root-ca.crt", "-n", NS,
                "-o", "jsonpath={.data.ca\\.crt}").ok().out().startsWith("-----BEGIN CERTIFICATE-----"));
        Cli.Result refused = admin.run("run", "nobody", "-n", NS, "--image=busybox", "--overrides",
                "{\"spec\":{\"serviceAccountName\":\"ghost\"}}");
        assertThat(refused.exit()).isNotZero();
        assertThat(refused.err()).contains("error looking up service account tokens/ghost: serviceaccount \"ghost\" not found");
    }

    @Test
    void aTokenForAnotherAudienceIsRefused() throws Exception {
        assertRefused(createToken("default", "--audience", "vault"));
    }

    @Test
    void anExpiredTokenIsRefused() throws Exception {
        ECKey serverKey = ECKey.parse(Files.readString(server.dataDir().resolve("pki/service-account.jwk")));
        Instant issued = Instant.now().minus(Duration.ofHours(2));
        assertRefused(sign(serverKey, issued, issued.plus(Duration.ofMinutes(10))));
    }

    @Test
    void aTokenSignedByAnotherKeyIsRefused() throws Exception {
        ECKey stranger = new ECKeyGenerator(Curve.P_256).keyIDFromThumbprint(true).generate();
        Instant now = Instant.now();
        assertRefused(sign(stranger, now, now.plus(Duration.ofHours(1))));
    }

    @Test
    void aMalformedTokenIsRefused() throws Exception {
        assertRefused("not-a-token");
        assertRefused("eyJhbGciOiJFUzI1NiJ9.e30.c2ln");
    }

    @Test
    void aBootstrapTokenAuthenticatesUntilItExpires() throws Exception {
        bootstrapSecret("abcdef", "0123456789abcdef", Instant.now().plus(Duration.ofHours(1)));
        bootstrapSecret("zyxwvu", "0123456789abcdef", Instant.now().minus(Duration.ofMinutes(1)));

        JsonNode user = whoami("abcdef.0123456789abcdef");
        assertThat(user.path("username").asText()).isEqualTo("system:bootstrap:abcdef");
        assertThat(user.path("groups")).extracting(JsonNode::asText)
                .containsExactly("system:bootstrappers", "system:bootstrappers:kedge:edge", "system:authenticated");
        assertRefused("zyxwvu.0123456789abcdef");
        assertRefused("abcdef.0123456789abcdeg");
    }

    @Test
    void tokenReviewAnswersForAGoodAndABadToken() throws Exception {
        String good = createToken("default");

        JsonNode yes = review(good).path("status");
        assertThat(yes.path("authenticated").asBoolean()).isTrue();
        assertThat(yes.path("user").path("username").asText()).isEqualTo("system:serviceaccount:tokens:default");
        assertThat(yes.path("audiences")).extracting(JsonNode::asText).containsExactly("https://kubernetes.default.svc.cluster.local");

        JsonNode no = review(good.substring(0, good.length() - 4) + "AAAA").path("status");
        assertThat(no.path("authenticated").asBoolean()).isFalse();
        assertThat(no.path("error").asText()).isNotEmpty();
    }

    private static JsonNode review(String token) throws Exception {
        String body = "{\"apiVersion\":\"authentication.k8s.io/v1\",\"kind\":\"TokenReview\",\"spec\":{\"token\":\"" + token + "\"}}";
        return JSON.readTree(admin.runWithInput(body, "create", "-f", "-", "-o", "json").ok().out());
    }

    private static void bootstrapSecret(String id, String secret, Instant expiration) throws Exception {
        admin.runWithInput("""
                apiVersion: v1
                kind: Secret
                metadata: {name: bootstrap-token-%s, namespace: kube-system}
                type: bootstrap.kubernetes.io/token
                stringData:
                  token-id: %s
                  token-secret: %s
                  expiration: "%s"
                  usage-bootstrap-authentication: "true"
                  auth-extra-groups: system:bootstrappers:kedge:edge
                """.formatted(id, id, secret, expiration), "apply", "-f", "-").ok();
    }

    /** A token with the claims the server issues for tokens/default, signed by {@code key}. */
    private static String sign(ECKey key, Instant issued, Instant expires) throws Exception {
        String saUid = admin.run("get", "sa", "default", "-n", NS, "-o", "jsonpath={.metadata.uid}").ok().out();
        ObjectNode claims = JSON.createObjectNode();
        claims.putArray("aud").add("https://kubernetes.default.svc.cluster.local");
        claims.put("exp", expires.getEpochSecond()).put("iat", issued.getEpochSecond())
                .put("iss", "https://kubernetes.default.svc.cluster.local").put("jti", UUID.randomUUID().toString());
        ObjectNode k8s = claims.putObject("kubernetes.io").put("namespace", NS);
        k8s.putObject("serviceaccount").put("name", "default").put("uid", saUid);
        claims.put("nbf", issued.getEpochSecond()).put("sub", "system:serviceaccount:" + NS + ":default");
        JWSObject jws = new JWSObject(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID()).build(),
                new Payload(JSON.writeValueAsString(claims)));
        jws.sign(new ECDSASigner(key));
        return jws.serialize();
    }
}
