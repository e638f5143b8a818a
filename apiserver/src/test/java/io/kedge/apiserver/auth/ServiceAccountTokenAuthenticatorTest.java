package io.kedge.apiserver.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kedge.api.Json;
import io.kedge.api.Meta;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServiceAccountTokenAuthenticatorTest {
    private static final List<String> API = List.of(ServiceAccountTokenIssuer.ISSUER);
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-27T10:00:00Z"));
    private final ServiceAccountKey key = ServiceAccountKey.generate();
    private final MapObjects objects = new MapObjects();
    private final ServiceAccountTokenIssuer issuer = new ServiceAccountTokenIssuer(key, clock);
    private final ServiceAccountTokenAuthenticator authenticator = new ServiceAccountTokenAuthenticator(key, objects, clock);
    private final ObjectNode sa = objects.put("serviceaccounts", "shop", "builder");

    private String token(List<ServiceAccountTokenIssuer.Binding> bindings, List<String> audiences, long seconds) {
        return issuer.issue("shop", "builder", Meta.uid(sa), bindings, audiences, seconds).token();
    }

    private String token() {
        return token(List.of(), API, 3600);
    }

    private static JsonNode payload(String token) {
        return Json.parse(Base64.getUrlDecoder().decode(token.split("\\.")[1]), false);
    }

    @Test
    void theTokenCarriesUpstreamsClaims() {
        ObjectNode pod = objects.put("pods", "shop", "web-1");
        String token = token(List.of(new ServiceAccountTokenIssuer.Binding("pod", "web-1", Meta.uid(pod))),
                List.of("a", "b"), 1200);

        JsonNode claims = payload(token);
        assertThat(claims.path("iss").asText()).isEqualTo("https://kubernetes.default.svc.cluster.local");
        assertThat(claims.path("sub").asText()).isEqualTo("system:serviceaccount:shop:builder");
        assertThat(claims.path("aud").isArray()).isTrue();
        assertThat(claims.path("aud")).extracting(JsonNode::asText).containsExactly("a", "b");
        assertThat(claims.path("exp").asLong() - claims.path("iat").asLong()).isEqualTo(1200);
        assertThat(claims.path("nbf").asLong()).isEqualTo(claims.path("iat").asLong());
        assertThat(claims.path("jti").asText()).isNotEmpty();
        JsonNode k8s = claims.path("kubernetes.io");
        assertThat(k8s.path("namespace").asText()).isEqualTo("shop");
        assertThat(k8s.path("serviceaccount").path("name").asText()).isEqualTo("builder");
        assertThat(k8s.path("serviceaccount").path("uid").asText()).isEqualTo(Meta.uid(sa));
        assertThat(k8s.path("pod").path("name").asText()).isEqualTo("web-1");
        assertThat(k8s.path("pod").path("uid").asText()).isEqualTo(Meta.uid(pod));
        String header = new String(Base64.getUrlDecoder().decode(token.split("\\.")[0]), StandardCharsets.UTF_8);
        assertThat(header).contains("\"alg\":\"ES256\"", "\"kid\":\"" + key.keyId() + "\"");
    }

    @Test
    void aValidTokenAuthenticatesAsTheServiceAccount() {
        TokenOutcome outcome = authenticator.authenticate(token(), API);

        assertThat(outcome.authenticated()).isTrue();
        assertThat(outcome.user().name()).isEqualTo("system:serviceaccount:shop:builder");
        assertThat(outcome.user().uid()).isEqualTo(Meta.uid(sa));
        assertThat(outcome.user().groups()).containsExactly("system:serviceaccounts", "system:serviceaccounts:shop");
        assertThat(outcome.user().extra()).containsKey("authentication.kubernetes.io/credential-id");
        assertThat(outcome.audiences()).containsExactly(ServiceAccountTokenIssuer.ISSUER);
    }

    @Test
    void aPodBoundTokenNamesThePodAndDiesWithIt() {
        ObjectNode pod = objects.put("pods", "shop", "web-1");
        String token = token(List.of(new ServiceAccountTokenIssuer.Binding("pod", "web-1", Meta.uid(pod))), API, 3600);

        UserInfo user = authenticator.authenticate(token, API).user();
        assertThat(user.extra()).containsEntry("authentication.kubernetes.io/pod-name", List.of("web-1"))
                .containsEntry("authentication.kubernetes.io/pod-uid", List.of(Meta.uid(pod)));

        objects.remove("pods", "shop", "web-1");
        assertThat(authenticator.authenticate(token, API).failure()).contains("pods shop/web-1 no longer exists");

        objects.put("pods", "shop", "web-1");
        assertThat(authenticator.authenticate(token, API).failure()).as("a pod of the same name is another pod")
                .contains("has uid");
    }

    @Test
    void aPodBeingDeletedKeepsItsTokensForAMinute() {
        ObjectNode pod = objects.put("pods", "shop", "web-1");
        String token = token(List.of(new ServiceAccountTokenIssuer.Binding("pod", "web-1", Meta.uid(pod))), API, 3600);
        Meta.metadata(pod).put("deletionTimestamp", Meta.timestamp(clock.instant()));

        assertThat(authenticator.authenticate(token, API).authenticated()).isTrue();
        clock.advance(Duration.ofSeconds(61));
        assertThat(authenticator.authenticate(token, API).failure()).contains("is being deleted");
    }

    @Test
    void aTokenOfADeletedOrRecreatedServiceAccountIsRejected() {
        String token = token();
        objects.remove("serviceaccounts", "shop", "builder");
        assertThat(authenticator.authenticate(token, API).failure()).contains("serviceaccounts shop/builder no longer exists");

        objects.put("serviceaccounts", "shop", "builder");
        assertThat(authenticator.authenticate(token, API).failure()).contains("has uid");
    }

    @Test
    void aTokenForAnotherAudienceIsRejected() {
        TokenOutcome outcome = authenticator.authenticate(token(List.of(), List.of("vault"), 3600), API);

        assertThat(outcome.authenticated()).isFalse();
        assertThat(outcome.failure()).contains("[vault]");
    }

    @Test
    void anExpiredTokenIsRejectedOnceTheLeewayIsOver() {
        String token = token(List.of(), API, 600);

        clock.advance(Duration.ofSeconds(600 + 30));
        assertThat(authenticator.authenticate(token, API).authenticated()).as("within the leeway").isTrue();
        clock.advance(Duration.ofSeconds(31));
        assertThat(authenticator.authenticate(token, API).failure()).contains("expired");
    }

    @Test
    void aTokenSignedByAnotherKeyIsRejected() {
        ServiceAccountTokenIssuer stranger = new ServiceAccountTokenIssuer(ServiceAccountKey.generate(), clock);
        String token = stranger.issue("shop", "builder", Meta.uid(sa), List.of(), API, 3600).token();

        assertThat(authenticator.authenticate(token, API).failure()).contains("invalid signature");
    }

    @Test
    void aTamperedPayloadIsRejected() {
        String[] parts = token().split("\\.");
        ObjectNode claims = (ObjectNode) payload(token());
        claims.put("sub", "system:serviceaccount:shop:admin");
        ((ObjectNode) claims.path("kubernetes.io").path("serviceaccount")).put("name", "admin");
        String forged = parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(Json.bytes(claims)) + "." + parts[2];

        assertThat(authenticator.authenticate(forged, API).failure()).contains("invalid signature");
    }

    @Test
    void tokensThatAreNotOurJwtsAreLeftToOtherAuthenticators() {
        assertThat(authenticator.authenticate("abcdef.0123456789abcdef", API).recognised()).isFalse();
        assertThat(authenticator.authenticate("not.a.jwt", API).recognised()).isFalse();
        String foreignIssuer = "eyJhbGciOiJub25lIn0." + Base64.getUrlEncoder().withoutPadding()
                .encodeToString("{\"iss\":\"https://accounts.example.com\"}".getBytes(StandardCharsets.UTF_8)) + ".";
        assertThat(authenticator.authenticate(foreignIssuer, API).recognised()).isFalse();
    }
}
