package io.kedge.api.validation.builtin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kedge.api.validation.ErrorCollector;
import io.kedge.api.validation.FieldPath;
import io.kedge.api.validation.Formats;
import io.kedge.api.validation.KindRules;
import io.kedge.api.validation.LabelSelectors;
import io.kedge.api.validation.Nodes;
import java.util.List;

/** rbac.authorization.k8s.io/v1: roles (their rules) and bindings (their role reference and subjects). */
final class RbacRules {
    static final String GROUP = "rbac.authorization.k8s.io";
    static final List<String> SUBJECT_KINDS = List.of("ServiceAccount", "User", "Group");

    private RbacRules() {}

    /** Role (namespaced) or ClusterRole. */
    static KindRules role(boolean namespaced) {
        return (role, errs) -> {
            for (ErrorCollector.Indexed rule : errs.objects(role, "rules", FieldPath.ROOT)) {
                validatePolicyRule(rule.node(), rule.path(), namespaced, errs);
            }
            ObjectNode aggregation = errs.object(role, "aggregationRule", FieldPath.ROOT);
            if (aggregation != null) {
                FieldPath ap = FieldPath.ROOT.child("aggregationRule");
                List<ErrorCollector.Indexed> selectors = errs.objects(aggregation, "clusterRoleSelectors", ap);
                if (selectors.isEmpty()) {
                    errs.required(ap.child("clusterRoleSelectors"),
                            "at least one clusterRoleSelector required if aggregationRule is non-nil");
                }
                selectors.forEach(s -> LabelSelectors.validate(s.node(), s.path(), errs));
            }
        };
    }

    private static void validatePolicyRule(ObjectNode rule, FieldPath p, boolean namespaced, ErrorCollector errs) {
        if (errs.stringList(rule, "verbs", p).isEmpty()) {
            errs.required(p.child("verbs"), "verbs must contain at least one value");
        }
        List<String> urls = errs.stringList(rule, "nonResourceURLs", p);
        List<String> groups = errs.stringList(rule, "apiGroups", p);
        List<String> resources = errs.stringList(rule, "resources", p);
        List<String> names = errs.stringList(rule, "resourceNames", p);
        if (!urls.isEmpty()) {
            if (namespaced) {
                errs.invalid(p.child("nonResourceURLs"), String.join(",", urls),
                        "namespaced rules cannot apply to non-resource URLs");
            }
            if (!groups.isEmpty() || !resources.isEmpty() || !names.isEmpty()) {
                errs.invalid(p.child("nonResourceURLs"), String.join(",", urls),
                        "rules cannot apply to both regular resources and non-resource URLs");
            }
            return;
        }
        if (groups.isEmpty() && (rule.get("apiGroups") == null || rule.get("apiGroups").isNull()
                || rule.get("apiGroups").isArray())) {
            errs.required(p.child("apiGroups"), "resource rules must supply at least one api group");
        }
        if (resources.isEmpty()) {
            errs.required(p.child("resources"), "resource rules must supply at least one resource");
        }
    }

    /** RoleBinding (namespaced: may refer to a Role or a ClusterRole) or ClusterRoleBinding. */
    static KindRules binding(boolean namespaced) {
        List<String> roleKinds = namespaced ? List.of("Role", "ClusterRole") : List.of("ClusterRole");
        return new KindRules() {
            @Override
            public void validate(ObjectNode binding, ErrorCollector errs) {
                FieldPath rp = FieldPath.ROOT.child("roleRef");
                ObjectNode ref = errs.object(binding, "roleRef", FieldPath.ROOT);
                String apiGroup = errs.string(ref, "apiGroup", rp);
                if (!GROUP.equals(apiGroup)) {
                    errs.notSupported(rp.child("apiGroup"), apiGroup == null ? "" : apiGroup, List.of(GROUP));
                }
                String kind = errs.string(ref, "kind", rp);
                if (kind == null || !roleKinds.contains(kind)) {
                    errs.notSupported(rp.child("kind"), kind == null ? "" : kind, roleKinds);
                }
                String name = errs.requiredString(ref, "name", rp, "");
                if (name != null) {
                    errs.invalidEach(rp.child("name"), name, Formats.pathSegment(name, false));
                }
                for (ErrorCollector.Indexed subject : errs.objects(binding, "subjects", FieldPath.ROOT)) {
                    validateSubject(subject.node(), subject.path(), namespaced, errs);
                }
            }

            @Override
            public void validateUpdate(ObjectNode binding, ObjectNode old, ErrorCollector errs) {
                if (!Nodes.sameContent(binding.get("roleRef"), old.get("roleRef"))) {
                    errs.invalid(FieldPath.ROOT.child("roleRef"), binding.get("roleRef"), "cannot change roleRef");
                }
            }
        };
    }

    private static void validateSubject(ObjectNode subject, FieldPath p, boolean namespaced, ErrorCollector errs) {
        String name = errs.requiredString(subject, "name", p, "");
        String kind = errs.string(subject, "kind", p);
        String apiGroup = Nodes.textOrEmpty(subject, "apiGroup");
        if ("ServiceAccount".equals(kind)) {
            if (name != null) {
                errs.invalidEach(p.child("name"), name, Formats.dns1123Subdomain(name));
            }
            if (!apiGroup.isEmpty()) {
                errs.notSupported(p.child("apiGroup"), apiGroup, List.of(""));
            }
            if (!namespaced && Nodes.isUnsetOrEmpty(subject, "namespace")) {
                errs.required(p.child("namespace"), "");
            }
        } else if ("User".equals(kind) || "Group".equals(kind)) {
            if (!apiGroup.equals(GROUP)) {
                errs.notSupported(p.child("apiGroup"), apiGroup, List.of(GROUP));
            }
        } else {
            errs.notSupported(p.child("kind"), kind == null ? "" : kind, SUBJECT_KINDS);
        }
    }

    /** Bindings: the RBAC group for the role reference and for users and groups, none for service accounts. */
    static void bindingDefaults(ObjectNode binding) {
        Nodes.defaultText(Nodes.object(binding, "roleRef"), "apiGroup", GROUP);
        for (ObjectNode subject : Nodes.objects(binding, "subjects")) {
            if (Nodes.isUnsetOrEmpty(subject, "apiGroup")) {
                String kind = Nodes.textOrEmpty(subject, "kind");
                if (kind.equals("User") || kind.equals("Group")) {
                    subject.put("apiGroup", GROUP);
                } else if (kind.equals("ServiceAccount")) {
                    subject.put("apiGroup", "");
                }
            }
        }
    }
}
