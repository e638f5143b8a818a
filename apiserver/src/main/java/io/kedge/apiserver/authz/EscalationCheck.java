package io.kedge.apiserver.authz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kedge.api.ApiException;
import io.kedge.api.Meta;
import io.kedge.apiserver.auth.UserInfo;
import io.kedge.apiserver.registry.Admission;
import io.kedge.apiserver.registry.ResourceType;
import io.kedge.apiserver.registry.WriteOptions;
import java.util.ArrayList;
import java.util.List;

/**
 * RBAC's guard against privilege escalation. A Role or ClusterRole may only grant what its writer
 * already holds, unless the writer may {@code escalate} it; a binding may only grant a role whose
 * every rule its writer holds, unless the writer may {@code bind} that role.
 */
public final class EscalationCheck implements Admission {
    private final Authorizer authorizer;
    private final RbacPolicy policy;

    public EscalationCheck(Authorizer authorizer, RbacPolicy policy) {
        this.authorizer = authorizer;
        this.policy = policy;
    }

    @Override
    public void admitCreate(ResourceType t, ObjectNode obj, WriteOptions opts) {
        check(t, obj, opts.user());
    }

    @Override
    public void admitUpdate(ResourceType t, ObjectNode obj, ObjectNode old, WriteOptions opts) {
        check(t, obj, opts.user());
    }

    private void check(ResourceType t, ObjectNode obj, UserInfo user) {
        if (!t.group().equals(RbacPolicy.GROUP) || user == null) {
            return;
        }
        String ns = Meta.namespace(obj) == null ? "" : Meta.namespace(obj);
        switch (t.plural()) {
            case "roles", "clusterroles" -> checkRole(t, obj, user, ns);
            case "rolebindings", "clusterrolebindings" -> checkBinding(t, obj, user, ns);
            default -> { }
        }
    }

    private void checkRole(ResourceType t, ObjectNode role, UserInfo user, String ns) {
        if (may(user, "escalate", t.plural(), ns, Meta.name(role))) {
            return;
        }
        if (t.plural().equals("clusterroles") && role.hasNonNull("aggregationRule")) {
            throw ApiException.forbidden(t.group(), t.plural(), Meta.name(role),
                    "must have cluster-admin privileges to use the aggregationRule");
        }
        requireHeld(t, Meta.name(role), user, ns, PolicyRule.ofRole(role));
    }

    private void checkBinding(ResourceType t, ObjectNode binding, UserInfo user, String ns) {
        JsonNode ref = binding.path("roleRef");
        RbacPolicy.RoleRef roleRef = new RbacPolicy.RoleRef(ref.path("kind").asText(""), ref.path("name").asText(""));
        String roleResource = roleRef.kind().equals("Role") ? "roles" : "clusterroles";
        if (may(user, "bind", roleResource, ns, roleRef.name())) {
            return;
        }
        List<PolicyRule> rules = policy.roleRefRules(roleRef, ns)
                .orElseThrow(() -> ApiException.notFound(RbacPolicy.GROUP, roleResource, roleRef.name()));
        requireHeld(t, Meta.name(binding), user, ns, rules);
    }

    private boolean may(UserInfo user, String verb, String resource, String ns, String name) {
        return authorizer.authorize(Attributes.resource(user, verb, RbacPolicy.GROUP, resource, "", ns, name)).allowed();
    }

    private void requireHeld(ResourceType t, String name, UserInfo user, String ns, List<PolicyRule> wanted) {
        List<PolicyRule> missing = missing(policy.rulesFor(user, ns), wanted);
        if (missing.isEmpty()) {
            return;
        }
        List<String> lines = new ArrayList<>();
        missing.forEach(r -> lines.add(r.compactString()));
        throw ApiException.forbidden(t.group(), t.plural(), name, "user \"" + user.name() + "\" (groups="
                + PolicyRule.goList(user.groups()) + ") is attempting to grant RBAC permissions not currently held:\n"
                + String.join("\n", lines));
    }

    /** The pieces of {@code wanted} that no rule of {@code held} covers. */
    public static List<PolicyRule> missing(List<PolicyRule> held, List<PolicyRule> wanted) {
        List<PolicyRule> out = new ArrayList<>();
        for (PolicyRule rule : wanted) {
            for (PolicyRule piece : rule.breakdown()) {
                if (held.stream().noneMatch(h -> h.covers(piece)) && !out.contains(piece)) {
                    out.add(piece);
                }
            }
        }
        return out;
    }
}
