package io.kedge.apiserver.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kedge.api.ApiException;
import io.kedge.api.Json;
import io.kedge.api.Meta;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class TokenRequestsTest {
    private static final List<String> API = List.of(ServiceAccountTokenIssuer.ISSUER);
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-27T10:00:00Z"));
    private final ServiceAccountKey key = ServiceAccountKey.generate();
    private final MapObjects objects = new MapObjects();
    private final TokenRequests requests = new TokenRequests(new ServiceAccountTokenIssuer(key, clock), objects, API, true);
    private final ServiceAccountTokenAuthenticator authenticator = new ServiceAccountTokenAuthenticator(key, objects, clock);
    private final ObjectNode sa = objects.put("serviceaccounts", "shop", "default");

    private static ObjectNode request(String spec) {
        return (ObjectNode) Json.parse(("{\"apiVersion\":\"authentication.k8s.io/v1\",\"kind\":\"TokenRequest\",\"spec\":"
                + spec + "}").getBytes(), false);
    }

    private static JsonNode claims(ObjectNode answer) {
        return Json.parse(Base64.getUrlDecoder().decode(answer.path("status").path("token").asText().split("\\.")[1]), false);
    }

    @Test
    void anEmptyRequestGetsAnHourForTheApiServersAudience() {
        ObjectNode answer = requests.create("shop", "default", request("{}"));

        assertThat(answer.path("kind").asText()).isEqualTo("TokenRequest");
        assertThat(answer.path("spec").path("expirationSeconds").asLong()).isEqualTo(3600);
        assertThat(answer.path("spec").path("audiences")).extracting(JsonNode::asText).containsExactly(ServiceAccountTokenIssuer.ISSUER);
        assertThat(answer.path("status").path("expirationTimestamp").asText()).isEqualTo("2026-11-27T11:00:00Z");
        assertThat(authenticator.authenticate(answer.path("status").path("token").asText(), API).user().name())
                .isEqualTo("system:serviceaccount:shop:default");
    }

    @Test
    void lessThanTenMinutesIsInvalid() {
        assertThatThrownBy(() -> requests.create("shop", "default", request("{\"expirationSeconds\":599}")))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo(422))
                .hasMessageContaining("spec.expirationSeconds").hasMessageContaining("less than 10 minutes");
    }

    @Test
    void aMissingServiceAccountIsNotFound() {
        assertThatThrownBy(() -> requests.create("shop", "ghost", request("{}")))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo(404))
                .hasMessage("serviceaccounts \"ghost\" not found");
    }

    @Test
    void aPodBindingNamesThePodAndItsNode() {
        ObjectNode pod = objects.put("pods", "shop", "web-1");
        pod.putObject("spec").put("serviceAccountName", "default").put("nodeName", "edge-1");
        ObjectNode node = objects.put("nodes", null, "edge-1");

        ObjectNode answer = requests.create("shop", "default", request(
                "{\"audiences\":[\"vault\"],\"expirationSeconds\":600,\"boundObjectRef\":{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"name\":\"web-1\",\"uid\":\""
                        + Meta.uid(pod) + "\"}}"));

        JsonNode k8s = claims(answer).path("kubernetes.io");
        assertThat(k8s.path("pod").path("uid").asText()).isEqualTo(Meta.uid(pod));
        assertThat(k8s.path("node").path("name").asText()).isEqualTo("edge-1");
        assertThat(k8s.path("node").path("uid").asText()).isEqualTo(Meta.uid(node));
        assertThat(claims(answer).path("aud")).extracting(JsonNode::asText).containsExactly("vault");
    }

    @Test
    void aPodsApiAccessTokenIsGoodForAYearButRefreshedAsIfItLastedAnHour() {
        ObjectNode pod = objects.put("pods", "shop", "web-2");
        pod.putObject("spec").put("serviceAccountName", "default").put("nodeName", "edge-1");
        objects.put("nodes", null, "edge-1");
        String bound = ",\"boundObjectRef\":{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"name\":\"web-2\"}}";

        ObjectNode answer = requests.create("shop", "default", request("{\"expirationSeconds\":3607" + bound));
        assertThat(answer.path("status").path("expirationTimestamp").asText()).as("what the kubelet refreshes by")
                .isEqualTo("2026-11-27T11:00:07Z");
        long iat = claims(answer).path("iat").asLong();
        assertThat(claims(answer).path("exp").asLong() - iat).isEqualTo(365L * 24 * 3600);
        assertThat(claims(answer).path("kubernetes.io").path("warnafter").asLong() - iat).isEqualTo(3607);
        clock.advance(java.time.Duration.ofHours(30));
        assertThat(authenticator.authenticate(answer.path("status").path("token").asText(), API).user().name())
                .as("still good after a day offline").isEqualTo("system:serviceaccount:shop:default");

        for (String other : List.of("{\"expirationSeconds\":3600" + bound, "{\"audiences\":[\"vault\"],\"expirationSeconds\":3607" + bound,
                "{\"expirationSeconds\":3607}")) {
            ObjectNode plain = requests.create("shop", "default", request(other));
            assertThat(claims(plain).path("exp").asLong() - claims(plain).path("iat").asLong()).as(other).isLessThanOrEqualTo(3607);
            assertThat(claims(plain).path("kubernetes.io").has("warnafter")).as(other).isFalse();
        }
    }

    @Test
    void withExtensionTurnedOffAPodsApiAccessTokenLastsTheSecondsItAskedFor() {
        ObjectNode pod = objects.put("pods", "shop", "web-3");
        pod.putObject("spec").put("serviceAccountName", "default").put("nodeName", "edge-1");
        objects.put("nodes", null, "edge-1");
        TokenRequests strict = new TokenRequests(new ServiceAccountTokenIssuer(key, clock), objects, API, false);

        ObjectNode answer = strict.create("shop", "default", request(
                "{\"expirationSeconds\":3607,\"boundObjectRef\":{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"name\":\"web-3\"}}"));

        assertThat(claims(answer).path("exp").asLong() - claims(answer).path("iat").asLong()).isEqualTo(3607);
        assertThat(claims(answer).path("kubernetes.io").has("warnafter")).isFalse();
        assertThat(answer.path("status").path("expirationTimestamp").asText()).isEqualTo("2026-11-27T11:00:07Z");
    }

    @Test
    void aBindingToAnObjectThatIsGoneOrAnotherIsRefused() {
        assertThatThrownBy(() -> requests.create("shop", "default", request(
                "{\"boundObjectRef\":{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"name\":\"s\"}}")))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo(404));
        objects.put("secrets", "shop", "s");
        assertThatThrownBy(() -> requests.create("shop", "default", request(
                "{\"boundObjectRef\":{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"name\":\"s\",\"uid\":\"old\"}}")))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo(409))
                .hasMessageContaining("the UID in the bound object reference (old) does not match");
    }

    @Test
    void aPodRunningAsAnotherServiceAccountOrAnUnknownKindIsABadRequest() {
        objects.put("pods", "shop", "other").putObject("spec").put("serviceAccountName", "builder");
        assertThatThrownBy(() -> requests.create("shop", "default", request(
                "{\"boundObjectRef\":{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"name\":\"other\"}}")))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo(400))
                .hasMessageContaining("different serviceaccount name");
        assertThatThrownBy(() -> requests.create("shop", "default", request(
                "{\"boundObjectRef\":{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"name\":\"d\"}}")))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo(400))
                .hasMessageContaining("cannot bind token to object of type apps/v1, Kind=Deployment");
    }
}
