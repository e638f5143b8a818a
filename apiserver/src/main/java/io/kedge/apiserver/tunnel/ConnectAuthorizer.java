package io.kedge.apiserver.tunnel;

import io.kedge.api.ApiException;
import io.kedge.apiserver.auth.UserInfo;
import io.kedge.apiserver.authz.Attributes;
import io.kedge.apiserver.authz.Authorizer;
import io.kedge.apiserver.authz.Decision;
import io.kedge.apiserver.authz.Forbidden;
import java.util.Set;

/**
 * The one place that decides whether a user may open a stream to a node: read a pod's log, exec or
 * attach into it, forward its ports, or proxy to its node. It runs before any stream is opened.
 */
final class ConnectAuthorizer {
    /** Streams that act on the pod; upstream 1.35 asks for {@code create} on them even when a WebSocket GET opens them. */
    private static final Set<String> ACTING = Set.of("exec", "attach", "portforward");

    private final Authorizer authorizer;

    ConnectAuthorizer(Authorizer authorizer) {
        this.authorizer = authorizer;
    }

    /** @param verb the request's own verb: {@code get} for GET (a WebSocket upgrade), {@code create} for POST */
    void authorize(UserInfo user, String verb, String resource, String subresource, String namespace, String name) {
        if (user == null) {
            throw ApiException.unauthorized("Unauthorized");
        }
        Attributes asked = Attributes.resource(user, verb, "", resource, subresource, namespace, name);
        require(asked);
        if (resource.equals("pods") && ACTING.contains(subresource) && !verb.equals("create")) {
            require(asked.withVerb("create"));
        }
    }

    private void require(Attributes a) {
        Decision d = authorizer.authorize(a);
        if (!d.allowed()) {
            throw Forbidden.of(a, d.reason());
        }
    }
}
