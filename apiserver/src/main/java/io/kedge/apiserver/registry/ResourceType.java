package io.kedge.apiserver.registry;

import io.kedge.api.Meta;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything the generic handler needs to serve one resource: its names, scope, subresources
 * and the strategy that holds what differs between kinds.
 */
public record ResourceType(
        String group,
        String version,
        String kind,
        String plural,
        String singular,
        boolean namespaced,
        List<String> shortNames,
        List<String> categories,
        List<String> verbs,
        Set<String> subresources,
        ScalePaths scale,
        Strategy strategy,
        boolean custom) {

    public static final List<String> ALL_VERBS =
            List.of("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch");

    /** JSON paths of the scale subresource (dot form, e.g. ".spec.replicas"). */
    public record ScalePaths(String specReplicas, String statusReplicas, String labelSelector) {}

    public String apiVersion() {
        return Meta.apiVersion(group, version);
    }

    /** Group and resource, the identity shared by every version of the resource. */
    public String groupResource() {
        return group.isEmpty() ? plural : plural + "." + group;
    }

    public String keyPrefix() {
        return "/registry/" + (group.isEmpty() ? "core" : group) + "/" + plural + "/";
    }

    public String keyPrefix(String namespace) {
        return namespaced && namespace != null ? keyPrefix() + namespace + "/" : keyPrefix();
    }

    public String key(String namespace, String name) {
        return namespaced ? keyPrefix() + namespace + "/" + name : keyPrefix() + name;
    }

    public boolean hasSubresource(String name) {
        return subresources.contains(name);
    }

    public boolean allows(String verb) {
        return verbs.contains(verb);
    }

    public Map<String, java.util.function.Function<com.fasterxml.jackson.databind.JsonNode, String>> selectableFields() {
        return strategy.selectableFields();
    }

    public ResourceType withStrategy(Strategy s) {
        return new ResourceType(group, version, kind, plural, singular, namespaced, shortNames, categories, verbs,
                subresources, scale, s, custom);
    }
}
