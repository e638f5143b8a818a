package io.kedge.apiserver.tunnel;

import io.kedge.api.ApiException;
import io.kedge.apiserver.auth.UserInfo;

/**
 * The one place that decides whether a user may open a stream to a node: read a pod's log, exec or
 * attach into it, forward its ports, or proxy to its node. It runs before any stream is opened.
 */
final class ConnectAuthorizer {
    /**
     * For now every authenticated user may, as with every other request; RBAC (issue 8) is to decide
     * here on (user, verb, resource/subresource, namespace, name), e.g. {@code create pods/exec}.
     */
    void authorize(UserInfo user, String verb, String resource, String subresource, String namespace, String name) {
        if (user == null) {
            throw ApiException.unauthorized("Unauthorized");
        }
    }
}
