package io.kedge.apiserver.handlers;

import com.fasterxml.jackson.databind.JsonNode;
import io.kedge.api.ApiException;
import io.kedge.api.Json;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** The opaque {@code continue} of a paged list: the list's revision and the last key served. */
record ContinueToken(long revision, String lastKey) {

    String encode() {
        var node = Json.object().put("v", "kedge.io/v1").put("rv", revision).put("start", lastKey);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(Json.bytes(node));
    }

    static ContinueToken decode(String token, String prefix) {
        try {
            JsonNode n = Json.MAPPER.readTree(new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8));
            long rv = n.path("rv").asLong(-1);
            String start = n.path("start").asText(null);
            if (rv <= 0 || start == null || !start.startsWith(prefix) || !"kedge.io/v1".equals(n.path("v").asText())) {
                throw new IllegalArgumentException();
            }
            return new ContinueToken(rv, start);
        } catch (Exception e) {
            throw ApiException.badRequest("invalid continue token: it is not one this server issued for this list");
        }
    }
}
