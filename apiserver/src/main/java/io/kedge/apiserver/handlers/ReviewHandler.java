package io.kedge.apiserver.handlers;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kedge.apiserver.auth.UserInfo;
import io.kedge.apiserver.http.HttpExchange;
import io.kedge.apiserver.registry.ResourceType;

/**
 * SelfSubjectAccessReview and SelfSubjectReview: questions about the caller, answered and not stored.
 * Until RBAC is enforced every authenticated user may do everything, and the review says so.
 */
final class ReviewHandler {
    void review(HttpExchange ex, ResourceType t) {
        ObjectNode body = Bodies.object(ex, false);
        UserInfo u = ex.user();
        body.put("apiVersion", t.apiVersion()).put("kind", t.kind());
        if (t.kind().equals("SelfSubjectReview")) {
            body.putObject("status").set("userInfo", io.kedge.apiserver.auth.UserInfoJson.of(u));
        } else {
            body.putObject("status").put("allowed", true)
                    .put("reason", "every authenticated user is allowed until RBAC is enforced");
        }
        body.with("metadata").put("creationTimestamp", (String) null);
        ex.respondJson(201, body);
    }
}
