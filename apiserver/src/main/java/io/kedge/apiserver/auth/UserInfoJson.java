package io.kedge.apiserver.auth;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kedge.api.Json;

/** The {@code UserInfo} of authentication.k8s.io, as TokenReview and SelfSubjectReview answer it. */
public final class UserInfoJson {
    private UserInfoJson() {}

    public static ObjectNode of(UserInfo u) {
        ObjectNode info = Json.object().put("username", u.name());
        if (!u.uid().isEmpty()) info.put("uid", u.uid());
        ArrayNode groups = info.putArray("groups");
        u.groups().forEach(groups::add);
        if (!u.extra().isEmpty()) {
            ObjectNode extra = info.putObject("extra");
            u.extra().forEach((k, values) -> {
                ArrayNode v = extra.putArray(k);
                values.forEach(v::add);
            });
        }
        return info;
    }
}
