package io.kedge.api.validation;

import java.util.Map;

/**
 * Which {@link NameRule} each built-in kind uses, as the upstream validators choose it. Kinds not listed
 * (including custom resources) use {@link NameRule#DNS_SUBDOMAIN}.
 */
public final class NameRules {
    private static final Map<String, NameRule> RULES = Map.ofEntries(
            Map.entry(key("", "Namespace"), NameRule.DNS_LABEL),
            // Upstream moves services to RFC 1123 labels behind a gate that is off until 1.36.
            Map.entry(key("", "Service"), NameRule.DNS1035_LABEL),
            Map.entry(key("apps", "StatefulSet"), NameRule.DNS_LABEL),
            Map.entry(key("rbac.authorization.k8s.io", "Role"), NameRule.PATH_SEGMENT),
            Map.entry(key("rbac.authorization.k8s.io", "ClusterRole"), NameRule.PATH_SEGMENT),
            Map.entry(key("rbac.authorization.k8s.io", "RoleBinding"), NameRule.PATH_SEGMENT),
            Map.entry(key("rbac.authorization.k8s.io", "ClusterRoleBinding"), NameRule.PATH_SEGMENT),
            Map.entry(key("certificates.k8s.io", "CertificateSigningRequest"), NameRule.PATH_SEGMENT),
            Map.entry(key("flowcontrol.apiserver.k8s.io", "FlowSchema"), NameRule.PATH_SEGMENT),
            Map.entry(key("flowcontrol.apiserver.k8s.io", "PriorityLevelConfiguration"), NameRule.PATH_SEGMENT),
            // A unit's name is also the value of the kedge.io/unit node label.
            Map.entry(key("edge.kedge.io", "EdgeUnit"), NameRule.DNS_LABEL));

    private NameRules() {}

    public static NameRule forKind(String group, String kind) {
        return RULES.getOrDefault(key(group, kind), NameRule.DNS_SUBDOMAIN);
    }

    private static String key(String group, String kind) {
        return (group == null ? "" : group) + "/" + kind;
    }
}
