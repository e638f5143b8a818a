package io.kedge.apiserver.authz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kedge.api.ApiException;
import io.kedge.api.Json;
import io.kedge.api.selector.FieldSelector;
import io.kedge.api.selector.SelectorException;
import io.kedge.apiserver.auth.UserInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The authorization.k8s.io reviews, answered from the same authorizer that guards requests and
 * never stored: SubjectAccessReview (any user), LocalSubjectAccessReview (any user, one namespace),
 * SelfSubjectAccessReview (the caller) and SelfSubjectRulesReview (the caller's rules in a namespace).
 */
public final class AccessReviews {
    public static final Set<String> KINDS = Set.of("SubjectAccessReview", "LocalSubjectAccessReview",
            "SelfSubjectAccessReview", "SelfSubjectRulesReview");
    private static final String GROUP = "authorization.k8s.io";

    private final Authorizer authorizer;
    private final RbacPolicy policy;

    public AccessReviews(Authorizer authorizer, RbacPolicy policy) {
        this.authorizer = authorizer;
        this.policy = policy;
    }

    /**
     * Fills in {@code review.status}.
     *
     * @param urlNamespace the namespace of the request path (LocalSubjectAccessReview only)
     */
    public ObjectNode review(String kind, ObjectNode review, UserInfo caller, String urlNamespace) {
        JsonNode spec = review.path("spec");
        switch (kind) {
            case "SelfSubjectRulesReview" -> rules(review, caller, spec.path("namespace").asText(""));
            case "SelfSubjectAccessReview" -> access(kind, review, caller);
            case "SubjectAccessReview" -> access(kind, review, subject(kind, spec));
            case "LocalSubjectAccessReview" -> {
                String ns = spec.path("resourceAttributes").path("namespace").asText("");
                if (spec.hasNonNull("nonResourceAttributes")) {
                    throw invalid(kind, "spec.nonResourceAttributes", "disallowed on this kind of request");
                }
                if (!ns.equals(urlNamespace)) {
                    throw invalid(kind, "spec.resourceAttributes.namespace", "must match metadata.namespace");
                }
                access(kind, review, subject(kind, spec));
            }
            default -> throw new IllegalArgumentException(kind + " is not an access review");
        }
        return review;
    }

    private static UserInfo subject(String kind, JsonNode spec) {
        String user = spec.path("user").asText("");
        List<String> groups = PolicyRule.strings(spec.path("groups"));
        if (user.isEmpty() && groups.isEmpty()) {
            throw invalid(kind, "spec.user", "at least one of user or group must be specified");
        }
        return new UserInfo(user, spec.path("uid").asText(""), groups);
    }

    private void access(String kind, ObjectNode review, UserInfo user) {
        Attributes a = attributes(kind, user, review.path("spec"));
        Decision d = authorizer.authorize(a);
        ObjectNode status = review.putObject("status");
        status.put("allowed", d.allowed());
        if (d.kind() == Decision.Kind.DENY) {
            status.put("denied", true);
        }
        if (!d.reason().isEmpty()) {
            status.put("reason", d.reason());
        }
    }

    static Attributes attributes(String kind, UserInfo user, JsonNode spec) {
        JsonNode res = spec.path("resourceAttributes");
        JsonNode nonRes = spec.path("nonResourceAttributes");
        if (res.isObject() == nonRes.isObject()) {
            throw invalid(kind, "spec.resourceAttributes",
                    "exactly one of nonResourceAttributes or resourceAttributes must be specified");
        }
        if (nonRes.isObject()) {
            return Attributes.nonResource(user, nonRes.path("verb").asText(""), nonRes.path("path").asText(""));
        }
        Attributes a = Attributes.resource(user, res.path("verb").asText(""), res.path("group").asText(""),
                res.path("resource").asText(""), res.path("subresource").asText(""), res.path("namespace").asText(""),
                res.path("name").asText(""));
        String raw = res.path("fieldSelector").path("rawSelector").asText("");
        if (!raw.isEmpty()) {
            try {
                a = a.withFieldSelector(FieldSelector.parse(raw));
            } catch (SelectorException e) {
                throw invalid(kind, "spec.resourceAttributes.fieldSelector.rawSelector", e.getMessage());
            }
        }
        return a;
    }

    private void rules(ObjectNode review, UserInfo caller, String namespace) {
        ArrayNode resourceRules = Json.MAPPER.createArrayNode();
        ArrayNode nonResourceRules = Json.MAPPER.createArrayNode();
        List<PolicyRule> rules = new ArrayList<>();
        if (caller.groups().contains(PrivilegedGroups.MASTERS)) {
            rules.add(PolicyRule.resources(List.of("*"), List.of("*"), List.of("*")));
            rules.add(PolicyRule.urls(List.of("*"), List.of("*")));
        }
        rules.addAll(policy.rulesFor(caller, namespace));
        for (PolicyRule r : rules) {
            if (!r.nonResourceURLs().isEmpty()) {
                ObjectNode o = nonResourceRules.addObject();
                strings(o, "verbs", r.verbs());
                strings(o, "nonResourceURLs", r.nonResourceURLs());
            }
            if (!r.resources().isEmpty()) {
                ObjectNode o = resourceRules.addObject();
                strings(o, "verbs", r.verbs());
                strings(o, "apiGroups", r.apiGroups());
                strings(o, "resources", r.resources());
                if (!r.resourceNames().isEmpty()) {
                    strings(o, "resourceNames", r.resourceNames());
                }
            }
        }
        ObjectNode status = review.putObject("status");
        status.set("resourceRules", resourceRules);
        status.set("nonResourceRules", nonResourceRules);
        // the node authorizer's grants follow the node's pods and are not rules
        status.put("incomplete", NodeIdentity.nodeName(caller).isPresent());
    }

    private static void strings(ObjectNode o, String field, List<String> values) {
        ArrayNode a = o.putArray(field);
        values.forEach(a::add);
    }

    private static ApiException invalid(String kind, String field, String message) {
        return ApiException.invalid(GROUP, kind, "", List.of(new ApiException.Cause("FieldValueInvalid",
                "Invalid value: " + message, field)));
    }
}
