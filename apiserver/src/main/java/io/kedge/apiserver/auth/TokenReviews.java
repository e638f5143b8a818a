package io.kedge.apiserver.auth;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kedge.api.ApiException;
import io.kedge.api.Meta;
import java.util.ArrayList;
import java.util.List;

/**
 * TokenReview: whether a token authenticates, and as whom, through the same authenticators as a
 * request's bearer token. Answered, never stored.
 */
public final class TokenReviews {
    private final Authenticator authenticator;

    public TokenReviews(Authenticator authenticator) {
        this.authenticator = authenticator;
    }

    public ObjectNode review(ObjectNode request) {
        if (!Meta.metadata(request).path("namespace").asText("").isEmpty()) {
            throw ApiException.badRequest("namespace is not allowed on this type: "
                    + Meta.metadata(request).path("namespace").asText());
        }
        ObjectNode spec = request.with("spec");
        String token = spec.path("token").asText("");
        if (token.isEmpty()) {
            throw ApiException.badRequest("token is required for TokenReview in authentication");
        }
        List<String> wanted = new ArrayList<>();
        spec.path("audiences").forEach(a -> wanted.add(a.asText()));
        TokenOutcome outcome = authenticator.authenticateToken(token,
                wanted.isEmpty() ? authenticator.apiAudiences() : wanted);

        ObjectNode out = request.deepCopy();
        out.put("kind", "TokenReview").put("apiVersion", TokenRequests.GROUP + "/v1");
        Meta.metadata(out).putNull("creationTimestamp");
        ObjectNode status = out.putObject("status").put("authenticated", outcome.authenticated());
        if (outcome.authenticated()) {
            status.set("user", UserInfoJson.of(outcome.user()));
            ArrayNode aud = status.putArray("audiences");
            outcome.audiences().forEach(aud::add);
        } else {
            status.putObject("user");
            status.put("error", outcome.failure() == null ? "invalid bearer token" : outcome.failure());
        }
        return out;
    }
}
