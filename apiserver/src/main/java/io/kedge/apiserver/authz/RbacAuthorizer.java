package io.kedge.apiserver.authz;

/** Allows what some Role or ClusterRole bound to the user grants; otherwise it has no opinion. */
public final class RbacAuthorizer implements Authorizer {
    private final RbacPolicy policy;

    public RbacAuthorizer(RbacPolicy policy) {
        this.policy = policy;
    }

    @Override
    public Decision authorize(Attributes a) {
        if (a.user() == null) {
            return Decision.noOpinion();
        }
        String[] reason = new String[1];
        policy.visit(a.user(), a.namespace(), (binding, rule) -> {
            if (rule.matches(a)) {
                reason[0] = "RBAC: allowed by " + binding.kind() + " \"" + binding.name() + "\""
                        + (binding.namespace().isEmpty() ? "" : " in namespace \"" + binding.namespace() + "\"")
                        + " of " + binding.roleRef().kind() + " \"" + binding.roleRef().name() + "\" to "
                        + binding.describeSubjectFor(a.user());
                return false;
            }
            return true;
        });
        return reason[0] != null ? Decision.allow(reason[0]) : Decision.noOpinion();
    }
}
