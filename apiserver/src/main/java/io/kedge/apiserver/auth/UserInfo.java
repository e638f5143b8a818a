package io.kedge.apiserver.auth;

import java.util.List;

/** Who made a request, as authentication established it. */
public record UserInfo(String name, String uid, List<String> groups) {
    public static final String AUTHENTICATED = "system:authenticated";

    public UserInfo {
        groups = List.copyOf(groups);
    }

    /** Adds the group every authenticated user belongs to, as upstream does. */
    public UserInfo authenticated() {
        if (groups.contains(AUTHENTICATED)) {
            return this;
        }
        List<String> g = new java.util.ArrayList<>(groups);
        g.add(AUTHENTICATED);
        return new UserInfo(name, uid, g);
    }
}
