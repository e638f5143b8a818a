package io.kedge.apiserver.handlers;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kedge.apiserver.auth.UserInfo;
import io.kedge.apiserver.authz.AccessReviews;
import io.kedge.apiserver.http.HttpExchange;
import io.kedge.apiserver.http.RequestInfo;
import io.kedge.apiserver.registry.ResourceType;

/**
 * SelfSubjectReview and the access reviews: questions answered and not stored. Access reviews are
 * decided by the authorizer that guards every request.
 */
final class ReviewHandler {
    private final AccessReviews access;

    ReviewHandler(AccessReviews access) {
        this.access = access;
    }

    void review(HttpExchange ex, ResourceType t, RequestInfo info) {
        ObjectNode body = Bodies.object(ex, false);
        UserInfo u = ex.user();
        body.put("apiVersion", t.apiVersion()).put("kind", t.kind());
        if (t.kind().equals("SelfSubjectReview")) {
            body.putObject("status").set("userInfo", io.kedge.apiserver.auth.UserInfoJson.of(u));
        } else {
            if (info.namespace() != null) {
                body.with("metadata").put("namespace", info.namespace());
            }
            access.review(t.kind(), body, u, info.namespace() == null ? "" : info.namespace());
        }
        body.with("metadata").put("creationTimestamp", (String) null);
        ex.respondJson(201, body);
    }
}
