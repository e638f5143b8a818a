package io.kedge.apiserver.auth;

import java.util.List;
import java.util.Map;

/**
 * Who made a request, as authentication established it. {@code extra} carries what an
 * authenticator knows beyond name and groups (the pod a service-account token is bound to).
 */
public record UserInfo(String name, String uid, List<String> groups, Map<String, List<String>> extra) {
    public static final String AUTHENTICATED = "system:authenticated";

    public UserInfo {
        groups = List.copyOf(groups);
        extra = Map.copyOf(extra);
    }

    public UserInfo(String name, String uid, List<String> groups) {
        this(name, uid, groups, Map.of());
    }

    /** Adds the group every authenticated user belongs to, as upstream does. */
    public UserInfo authenticated() {
        if (groups.contains(AUTHENTICATED)) {
            return this;
        }
        List<String> g = new java.util.ArrayList<>(groups);
        g.add(AUTHENTICATED);
        return new UserInfo(name, uid, g, extra);
    }
}
