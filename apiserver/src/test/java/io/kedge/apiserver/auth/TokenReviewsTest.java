package io.kedge.apiserver.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kedge.api.Json;
import io.kedge.api.Meta;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TokenReviewsTest {
    private static final List<String> API = List.of(ServiceAccountTokenIssuer.ISSUER);
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-27T10:00:00Z"));
    private final ServiceAccountKey key = ServiceAccountKey.generate();
    private final MapObjects objects = new MapObjects();
    private final Authenticator authenticator = new Authenticator(
            Map.of("static-token", new UserInfo("alice", "1", List.of("devs"))),
            List.of(new BootstrapTokenAuthenticator(objects, clock), new ServiceAccountTokenAuthenticator(key, objects, clock)), API);
    private final TokenReviews reviews = new TokenReviews(authenticator);
    private final ObjectNode sa = objects.put("serviceaccounts", "shop", "default");
    private final ServiceAccountTokenIssuer issuer = new ServiceAccountTokenIssuer(key, clock);

    private static ObjectNode review(String spec) {
        return (ObjectNode) Json.parse(("{\"apiVersion\":\"authentication.k8s.io/v1\",\"kind\":\"TokenReview\",\"spec\":"
                + spec + "}").getBytes(), false);
    }

    @Test
    void aGoodTokenIsAuthenticatedWithItsUserAndAudiences() {
        String token = issuer.issue("shop", "default", Meta.uid(sa), List.of(), List.of("vault", "db"), 3600).token();

        JsonNode status = reviews.review(review("{\"token\":\"" + token + "\",\"audiences\":[\"db\",\"mq\"]}")).path("status");

        assertThat(status.path("authenticated").asBoolean()).isTrue();
        assertThat(status.path("user").path("username").asText()).isEqualTo("system:serviceaccount:shop:default");
        assertThat(status.path("user").path("groups")).extracting(JsonNode::asText)
                .containsExactly("system:serviceaccounts", "system:serviceaccounts:shop", "system:authenticated");
        assertThat(status.path("audiences")).extracting(JsonNode::asText).containsExactly("db");
    }

    @Test
    void aTokenFromTheTokenFileIsGoodForTheApiServersAudience() {
        JsonNode status = reviews.review(review("{\"token\":\"static-token\"}")).path("status");

        assertThat(status.path("user").path("username").asText()).isEqualTo("alice");
        assertThat(status.path("audiences")).extracting(JsonNode::asText).containsExactly(ServiceAccountTokenIssuer.ISSUER);
    }

    @Test
    void aBadTokenIsNotAuthenticatedAndSaysWhy() {
        String token = issuer.issue("shop", "default", Meta.uid(sa), List.of(), List.of("vault"), 3600).token();

        JsonNode status = reviews.review(review("{\"token\":\"" + token + "\"}")).path("status");

        assertThat(status.path("authenticated").asBoolean()).isFalse();
        assertThat(status.path("error").asText()).contains("[vault]");
        assertThat(reviews.review(review("{\"token\":\"nonsense\"}")).path("status").path("error").asText())
                .isEqualTo("invalid bearer token");
    }

    @Test
    void aReviewWithoutATokenIsABadRequest() {
        assertThatThrownBy(() -> reviews.review(review("{}"))).hasMessageContaining("token is required");
    }
}
