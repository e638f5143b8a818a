package io.kedge.apiserver.authz;

import io.kedge.apiserver.auth.UserInfo;
import java.util.Optional;

/** A node's credentials: user {@code system:node:NAME} in group {@code system:nodes}. */
public final class NodeIdentity {
    public static final String USER_PREFIX = "system:node:";
    public static final String GROUP = "system:nodes";

    private NodeIdentity() {}

    /** The node's name, when the user is a node. */
    public static Optional<String> nodeName(UserInfo user) {
        if (user == null || !user.groups().contains(GROUP) || !user.name().startsWith(USER_PREFIX)) {
            return Optional.empty();
        }
        String name = user.name().substring(USER_PREFIX.length());
        return name.isEmpty() ? Optional.empty() : Optional.of(name);
    }
}
