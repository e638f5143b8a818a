package io.kedge.apiserver.handlers;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kedge.api.ApiException;
import io.kedge.api.Json;
import io.kedge.apiserver.http.HttpExchange;
import io.kedge.apiserver.registry.ResourceType;
import io.kedge.apiserver.registry.ResourceTypes;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * {@code /api}, {@code /apis}, and the resource lists of each group-version. Always plain
 * {@code application/json}: clients that asked for aggregated discovery fall back on seeing it.
 */
final class DiscoveryHandler {
    /** Subresources that are served with their own kind and group. */
    private static final Map<String, String[]> SUBRESOURCE_KINDS = Map.of(
            "scale", new String[]{"autoscaling", "v1", "Scale"},
            "eviction", new String[]{"policy", "v1", "Eviction"},
            "binding", new String[]{"", "v1", "Binding"},
            "exec", new String[]{"", "v1", "PodExecOptions"},
            "attach", new String[]{"", "v1", "PodAttachOptions"},
            "portforward", new String[]{"", "v1", "PodPortForwardOptions"},
            "proxy", new String[]{"", "v1", "NodeProxyOptions"},
            "token", new String[]{"authentication.k8s.io", "v1", "TokenRequest"});
    private final ResourceTypes types;
    private final String serverAddress;

    DiscoveryHandler(ResourceTypes types, String serverAddress) {
        this.types = types;
        this.serverAddress = serverAddress;
    }

    void versions(HttpExchange ex) {
        ObjectNode r = Json.object().put("kind", "APIVersions");
        r.putArray("versions").add("v1");
        r.putArray("serverAddressByClientCIDRs").addObject().put("clientCIDR", "0.0.0.0/0").put("serverAddress", serverAddress);
        ex.respondJson(200, r);
    }

    void groups(HttpExchange ex) {
        ObjectNode r = Json.object().put("kind", "APIGroupList").put("apiVersion", "v1");
        ArrayNode groups = r.putArray("groups");
        types.groups().forEach((g, versions) -> {
            if (!g.isEmpty()) {
                groups.add(group(g, versions));
            }
        });
        ex.respondJson(200, r);
    }

    void group(HttpExchange ex, String name) {
        List<String> versions = types.groups().get(name);
        if (versions == null || name.isEmpty()) {
            throw ApiException.notFound("the server could not find the requested resource (API group " + name + ")");
        }
        ObjectNode g = group(name, versions);
        g.put("kind", "APIGroup").put("apiVersion", "v1");
        ex.respondJson(200, g);
    }

    private static ObjectNode group(String name, List<String> versions) {
        ObjectNode g = Json.object().put("name", name);
        ArrayNode vs = g.putArray("versions");
        for (String v : versions) {
            vs.addObject().put("groupVersion", name + "/" + v).put("version", v);
        }
        g.putObject("preferredVersion").put("groupVersion", name + "/" + versions.get(0)).put("version", versions.get(0));
        return g;
    }

    void resources(HttpExchange ex, String group, String version) {
        Collection<ResourceType> list = types.inGroupVersion(group, version);
        if (list.isEmpty()) {
            throw ApiException.notFound("the server could not find the requested resource (group-version "
                    + io.kedge.api.Meta.apiVersion(group, version) + ")");
        }
        ObjectNode r = Json.object().put("kind", "APIResourceList").put("apiVersion", "v1")
                .put("groupVersion", io.kedge.api.Meta.apiVersion(group, version));
        ArrayNode resources = r.putArray("resources");
        for (ResourceType t : list) {
            ObjectNode e = resources.addObject().put("name", t.plural()).put("singularName", t.singular())
                    .put("namespaced", t.namespaced()).put("kind", t.kind());
            ArrayNode verbs = e.putArray("verbs");
            t.verbs().forEach(verbs::add);
            if (!t.shortNames().isEmpty()) {
                ArrayNode sn = e.putArray("shortNames");
                t.shortNames().forEach(sn::add);
            }
            if (!t.categories().isEmpty()) {
                ArrayNode c = e.putArray("categories");
                t.categories().forEach(c::add);
            }
            for (String sub : t.subresources().stream().sorted().toList()) {
                resources.add(subresource(t, sub));
            }
        }
        ex.respondJson(200, r);
    }

    private static ObjectNode subresource(ResourceType t, String sub) {
        ObjectNode e = Json.object().put("name", t.plural() + "/" + sub).put("singularName", "")
                .put("namespaced", t.namespaced());
        String[] gvk = SUBRESOURCE_KINDS.get(sub);
        if (gvk != null) {
            e.put("group", gvk[0]).put("version", gvk[1]).put("kind", gvk[2]);
        } else {
            e.put("kind", t.kind());
        }
        ArrayNode verbs = e.putArray("verbs");
        switch (sub) {
            case "binding", "eviction", "token" -> verbs.add("create");
            case "finalize" -> verbs.add("update");
            case "approval" -> verbs.add("get").add("patch").add("update");
            case "log" -> verbs.add("get");
            case "exec", "attach", "portforward" -> verbs.add("create").add("get");
            case "proxy" -> verbs.add("create").add("delete").add("get").add("patch").add("update");
            default -> verbs.add("get").add("patch").add("update");
        }
        return e;
    }
}
