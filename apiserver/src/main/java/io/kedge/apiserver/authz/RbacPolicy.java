package io.kedge.apiserver.authz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kedge.api.Meta;
import io.kedge.apiserver.auth.UserInfo;
import io.kedge.apiserver.registry.ResourceType;
import io.kedge.apiserver.registry.ResourceTypes;
import io.kedge.apiserver.storage.CacheHub;
import io.kedge.apiserver.storage.CacheListener;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Roles, ClusterRoles and their bindings, kept in step with the watch caches, and the rules they
 * give a user. Role bindings are indexed by namespace, so a request only looks at its own
 * namespace's bindings and the cluster bindings.
 */
public final class RbacPolicy {
    public static final String GROUP = "rbac.authorization.k8s.io";
    private static final String SA_PREFIX = "system:serviceaccount:";

    private final Map<String, List<PolicyRule>> roles = new ConcurrentHashMap<>();
    private final Map<String, List<PolicyRule>> clusterRoles = new ConcurrentHashMap<>();
    private final Map<String, Binding> clusterBindings = new ConcurrentHashMap<>();
    private final Map<String, Map<String, Binding>> roleBindings = new ConcurrentHashMap<>();

    public record Subject(String kind, String name, String namespace) {}

    public record RoleRef(String kind, String name) {
        static RoleRef of(JsonNode ref) {
            return new RoleRef(ref.path("kind").asText(""), ref.path("name").asText(""));
        }
    }

    /** A binding as the index keeps it; {@code namespace} is empty for a ClusterRoleBinding. */
    public record Binding(String kind, String namespace, String name, RoleRef roleRef, List<Subject> subjects) {
        static Binding of(String kind, JsonNode obj) {
            List<Subject> subjects = new ArrayList<>();
            obj.path("subjects").forEach(s -> subjects.add(new Subject(s.path("kind").asText(""), s.path("name").asText(""),
                    s.path("namespace").asText(""))));
            String ns = Meta.namespace(obj);
            return new Binding(kind, ns == null ? "" : ns, Meta.name(obj), RoleRef.of(obj.path("roleRef")), List.copyOf(subjects));
        }

        boolean appliesTo(UserInfo user) {
            return matching(user).isPresent();
        }

        /** The subject that names {@code user}, if any. */
        Optional<Subject> matching(UserInfo user) {
            for (Subject s : subjects) {
                boolean hit = switch (s.kind()) {
                    case "User" -> s.name().equals(user.name());
                    case "Group" -> user.groups().contains(s.name());
                    case "ServiceAccount" -> user.name().equals(SA_PREFIX + serviceAccountNamespace(s) + ":" + s.name());
                    default -> false;
                };
                if (hit) {
                    return Optional.of(s);
                }
            }
            return Optional.empty();
        }

        private String serviceAccountNamespace(Subject s) {
            return s.namespace().isEmpty() ? namespace : s.namespace();
        }

        /** The subject that made the binding apply, as upstream names it in its reasons. */
        String describeSubjectFor(UserInfo user) {
            return matching(user).map(s -> s.kind() + " \""
                    + (s.kind().equals("ServiceAccount") ? serviceAccountNamespace(s) + "/" : "") + s.name() + "\"").orElse("");
        }
    }

    /** Called for each rule that applies; returning false stops the walk. */
    @FunctionalInterface
    public interface RuleVisitor {
        boolean visit(Binding source, PolicyRule rule);
    }

    /** Follows the four RBAC caches; each listener first receives every current object. */
    public void follow(CacheHub hub, ResourceTypes types) {
        listen(hub, types, "roles", this::putRole, obj -> roles.remove(key(obj)));
        listen(hub, types, "clusterroles", this::putClusterRole, obj -> clusterRoles.remove(Meta.name(obj)));
        listen(hub, types, "clusterrolebindings", this::putClusterRoleBinding, obj -> clusterBindings.remove(Meta.name(obj)));
        listen(hub, types, "rolebindings", this::putRoleBinding, this::removeRoleBinding);
    }

    private static void listen(CacheHub hub, ResourceTypes types, String plural, Consumer<ObjectNode> upsert,
                               Consumer<ObjectNode> delete) {
        ResourceType t = types.find(GROUP, "v1", plural).orElseThrow();
        hub.cacheFor(t).watch(new CacheListener(upsert, delete), -1, hub.revision(), false);
    }

    public void putRole(ObjectNode role) {
        roles.put(key(role), PolicyRule.ofRole(role));
    }

    public void putClusterRole(ObjectNode role) {
        clusterRoles.put(Meta.name(role), PolicyRule.ofRole(role));
    }

    public void putClusterRoleBinding(ObjectNode binding) {
        clusterBindings.put(Meta.name(binding), Binding.of("ClusterRoleBinding", binding));
    }

    public void putRoleBinding(ObjectNode binding) {
        roleBindings.computeIfAbsent(Meta.namespace(binding), n -> new ConcurrentHashMap<>())
                .put(Meta.name(binding), Binding.of("RoleBinding", binding));
    }

    private void removeRoleBinding(ObjectNode binding) {
        Map<String, Binding> inNs = roleBindings.get(Meta.namespace(binding));
        if (inNs != null) {
            inNs.remove(Meta.name(binding));
        }
    }

    private static String key(JsonNode obj) {
        return Meta.namespace(obj) + "/" + Meta.name(obj);
    }

    /** The rules a role reference names; empty when the role does not exist (yet). */
    public Optional<List<PolicyRule>> roleRefRules(RoleRef ref, String bindingNamespace) {
        return Optional.ofNullable(switch (ref.kind()) {
            case "ClusterRole" -> clusterRoles.get(ref.name());
            case "Role" -> roles.get(bindingNamespace + "/" + ref.name());
            default -> null;
        });
    }

    /**
     * Walks the rules that apply to {@code user} in {@code namespace} (cluster bindings, then, for a
     * namespace, its role bindings). An empty namespace means cluster-wide rules only.
     */
    public void visit(UserInfo user, String namespace, RuleVisitor visitor) {
        for (Binding b : clusterBindings.values()) {
            if (!visitBinding(user, b, visitor)) {
                return;
            }
        }
        if (namespace == null || namespace.isEmpty()) {
            return;
        }
        Map<String, Binding> inNs = roleBindings.get(namespace);
        if (inNs == null) {
            return;
        }
        for (Binding b : inNs.values()) {
            if (!visitBinding(user, b, visitor)) {
                return;
            }
        }
    }

    private boolean visitBinding(UserInfo user, Binding b, RuleVisitor visitor) {
        if (!b.appliesTo(user)) {
            return true;
        }
        if (b.kind().equals("ClusterRoleBinding") && !b.roleRef().kind().equals("ClusterRole")) {
            return true;
        }
        for (PolicyRule r : roleRefRules(b.roleRef(), b.namespace()).orElse(List.of())) {
            if (!visitor.visit(b, r)) {
                return false;
            }
        }
        return true;
    }

    public List<PolicyRule> rulesFor(UserInfo user, String namespace) {
        List<PolicyRule> out = new ArrayList<>();
        visit(user, namespace, (b, r) -> out.add(r));
        return out;
    }
}
