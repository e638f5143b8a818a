package io.kedge.apiserver.authz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kedge.api.GoQuote;
import io.kedge.api.Json;
import java.util.ArrayList;
import java.util.List;

/** One rule of a Role or ClusterRole, and how it matches a request and covers another rule. */
public record PolicyRule(List<String> verbs, List<String> apiGroups, List<String> resources, List<String> resourceNames,
                         List<String> nonResourceURLs) {
    static final String ALL = "*";

    public PolicyRule {
        verbs = List.copyOf(verbs);
        apiGroups = List.copyOf(apiGroups);
        resources = List.copyOf(resources);
        resourceNames = List.copyOf(resourceNames);
        nonResourceURLs = List.copyOf(nonResourceURLs);
    }

    public static PolicyRule resources(List<String> verbs, List<String> apiGroups, List<String> resources) {
        return new PolicyRule(verbs, apiGroups, resources, List.of(), List.of());
    }

    public static PolicyRule urls(List<String> verbs, List<String> urls) {
        return new PolicyRule(verbs, List.of(), List.of(), List.of(), urls);
    }

    public PolicyRule withNames(List<String> names) {
        return new PolicyRule(verbs, apiGroups, resources, names, nonResourceURLs);
    }

    public static PolicyRule fromJson(JsonNode rule) {
        return new PolicyRule(strings(rule.path("verbs")), strings(rule.path("apiGroups")), strings(rule.path("resources")),
                strings(rule.path("resourceNames")), strings(rule.path("nonResourceURLs")));
    }

    /** The rules of a Role or ClusterRole object. */
    public static List<PolicyRule> ofRole(JsonNode role) {
        List<PolicyRule> out = new ArrayList<>();
        role.path("rules").forEach(r -> out.add(fromJson(r)));
        return out;
    }

    public ObjectNode toJson() {
        ObjectNode o = Json.object();
        put(o, "verbs", verbs);
        put(o, "apiGroups", apiGroups);
        put(o, "resources", resources);
        put(o, "resourceNames", resourceNames);
        put(o, "nonResourceURLs", nonResourceURLs);
        return o;
    }

    private static void put(ObjectNode o, String field, List<String> values) {
        if (!values.isEmpty()) {
            ArrayNode a = o.putArray(field);
            values.forEach(a::add);
        }
    }

    static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(v -> out.add(v.asText()));
        return out;
    }

    public boolean matches(Attributes a) {
        if (!verbMatches(a.verb())) {
            return false;
        }
        if (!a.resourceRequest()) {
            return urlMatches(a.path());
        }
        return groupMatches(a.apiGroup()) && resourceMatches(a.resource(), a.subresource()) && nameMatches(a.name());
    }

    boolean verbMatches(String verb) {
        return verbs.contains(ALL) || verbs.contains(verb);
    }

    boolean groupMatches(String group) {
        return apiGroups.contains(ALL) || apiGroups.contains(group);
    }

    /** A star matches every resource, {@code res/sub} that one, and a star before {@code /sub} that sub of any resource. */
    boolean resourceMatches(String resource, String subresource) {
        String combined = subresource.isEmpty() ? resource : resource + "/" + subresource;
        for (String r : resources) {
            if (r.equals(ALL) || r.equals(combined)) {
                return true;
            }
            if (!subresource.isEmpty() && r.equals("*/" + subresource)) {
                return true;
            }
        }
        return false;
    }

    boolean nameMatches(String name) {
        return resourceNames.isEmpty() || (!name.isEmpty() && resourceNames.contains(name));
    }

    boolean urlMatches(String path) {
        for (String u : nonResourceURLs) {
            if (u.equals(ALL) || u.equals(path) || (u.endsWith(ALL) && path.startsWith(u.substring(0, u.length() - 1)))) {
                return true;
            }
        }
        return false;
    }

    /**
     * This rule split into rules of one verb, group, resource and name (or one verb and URL), so that
     * each piece can be checked, and reported, on its own.
     */
    public List<PolicyRule> breakdown() {
        List<PolicyRule> out = new ArrayList<>();
        for (String g : apiGroups) {
            for (String r : resources) {
                for (String v : verbs) {
                    if (resourceNames.isEmpty()) {
                        out.add(resources(List.of(v), List.of(g), List.of(r)));
                    } else {
                        for (String n : resourceNames) {
                            out.add(new PolicyRule(List.of(v), List.of(g), List.of(r), List.of(n), List.of()));
                        }
                    }
                }
            }
        }
        for (String u : nonResourceURLs) {
            for (String v : verbs) {
                out.add(urls(List.of(v), List.of(u)));
            }
        }
        return out;
    }

    /** Whether this rule grants at least what {@code piece} (one of {@link #breakdown()}'s) grants. */
    public boolean covers(PolicyRule piece) {
        if (!verbs.contains(ALL) && !verbs.containsAll(piece.verbs)) {
            return false;
        }
        if (!piece.nonResourceURLs.isEmpty()) {
            return piece.nonResourceURLs.stream().allMatch(this::urlCovers);
        }
        return (apiGroups.contains(ALL) || apiGroups.containsAll(piece.apiGroups))
                && piece.resources.stream().allMatch(this::resourceCovers)
                && (resourceNames.isEmpty() || (!piece.resourceNames.isEmpty() && resourceNames.containsAll(piece.resourceNames)));
    }

    private boolean resourceCovers(String wanted) {
        if (resources.contains(ALL) || resources.contains(wanted)) {
            return true;
        }
        int slash = wanted.indexOf('/');
        return slash > 0 && resources.contains("*" + wanted.substring(slash));
    }

    private boolean urlCovers(String wanted) {
        for (String u : nonResourceURLs) {
            if (u.equals(ALL) || u.equals(wanted)) {
                return true;
            }
            if (u.endsWith(ALL) && wanted.startsWith(u.substring(0, u.length() - 1))) {
                return true;
            }
        }
        return false;
    }

    /** The short form upstream prints in escalation errors: {@code {APIGroups:[""], Resources:["pods"], Verbs:["get"]}}. */
    public String compactString() {
        List<String> parts = new ArrayList<>();
        if (!apiGroups.isEmpty()) parts.add("APIGroups:" + goList(apiGroups));
        if (!resources.isEmpty()) parts.add("Resources:" + goList(resources));
        if (!nonResourceURLs.isEmpty()) parts.add("NonResourceURLs:" + goList(nonResourceURLs));
        if (!resourceNames.isEmpty()) parts.add("ResourceNames:" + goList(resourceNames));
        if (!verbs.isEmpty()) parts.add("Verbs:" + goList(verbs));
        return "{" + String.join(", ", parts) + "}";
    }

    /** A string list as Go's {@code %q} prints it: {@code ["a" "b"]}. */
    static String goList(List<String> values) {
        List<String> quoted = new ArrayList<>();
        values.forEach(v -> quoted.add(GoQuote.quote(v)));
        return "[" + String.join(" ", quoted) + "]";
    }
}
