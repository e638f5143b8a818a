package io.kedge.apiserver.authz;

import java.util.Set;

/** Members of {@code system:masters} may do anything, whatever RBAC holds: the way back in when RBAC is broken. */
public final class PrivilegedGroups implements Authorizer {
    public static final String MASTERS = "system:masters";
    private final Set<String> groups;

    public PrivilegedGroups(Set<String> groups) {
        this.groups = Set.copyOf(groups);
    }

    public static PrivilegedGroups masters() {
        return new PrivilegedGroups(Set.of(MASTERS));
    }

    @Override
    public Decision authorize(Attributes a) {
        if (a.user() != null && a.user().groups().stream().anyMatch(groups::contains)) {
            return Decision.allow("");
        }
        return Decision.noOpinion();
    }
}
