package io.kedge.apiserver.tunnel;

import io.kedge.api.ApiException;
import io.kedge.apiserver.http.HttpExchange;
import io.kedge.apiserver.registry.GenericRegistry;
import io.kedge.apiserver.registry.ResourceType;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code /api/v1/nodes/{name}/proxy/{path}}: any path of the node's kubelet API, answered as the kubelet answers. */
final class NodeProxy {
    private static final Pattern PATH = Pattern.compile("/api/v1/nodes/([^/]+)/proxy(/.*)?");
    private static final String KUBELET_PORT = "10250";

    private final GenericRegistry registry;
    private final ResourceType nodes;
    private final KubeletDialer kubelets;
    private final ConnectAuthorizer authorizer;

    NodeProxy(GenericRegistry registry, ResourceType nodes, KubeletDialer kubelets, ConnectAuthorizer authorizer) {
        this.registry = registry;
        this.nodes = nodes;
        this.kubelets = kubelets;
        this.authorizer = authorizer;
    }

    /** The node and the kubelet path of a nodes/proxy request path; empty when it is not one. */
    static Optional<String[]> match(String path) {
        Matcher m = PATH.matcher(path);
        return m.matches() ? Optional.of(new String[]{m.group(1), m.group(2) == null ? "/" : m.group(2)}) : Optional.empty();
    }

    void serve(HttpExchange ex, String nodeWithPort, String kubeletPath) {
        String node = nodeName(nodeWithPort);
        authorizer.authorize(ex.user(), verb(ex.method().name()), "nodes", "proxy", null, node);
        registry.getOrThrow(nodes, null, node);
        String raw = ex.rawQuery();
        kubelets.forward(ex, node, kubeletPath + (raw.isEmpty() ? "" : "?" + raw), KubeletExchange.Errors.AS_IS);
    }

    /** Upstream allows {@code name:port} and {@code scheme:name:port}; through a tunnel only the kubelet's port exists. */
    private static String nodeName(String segment) {
        String[] parts = segment.split(":");
        String name = switch (parts.length) {
            case 1 -> parts[0];
            case 2 -> requirePort(parts[0], parts[1], segment);
            case 3 -> {
                if (!parts[0].equals("https")) {
                    throw ApiException.badRequest("nodes/proxy reaches kubelets over https only, not " + parts[0]);
                }
                yield requirePort(parts[1], parts[2], segment);
            }
            default -> throw ApiException.badRequest("\"" + segment + "\" is not a node name, name:port or scheme:name:port");
        };
        if (name.isEmpty()) {
            throw ApiException.badRequest("\"" + segment + "\" names no node");
        }
        return name;
    }

    private static String requirePort(String name, String port, String segment) {
        if (!port.isEmpty() && !port.equals(KUBELET_PORT)) {
            throw ApiException.badRequest("\"" + segment + "\": through the tunnel a node is reachable only at its kubelet's port "
                    + KUBELET_PORT);
        }
        return name;
    }

    private static String verb(String method) {
        return switch (method) {
            case "GET", "HEAD" -> "get";
            case "POST" -> "create";
            case "PUT" -> "update";
            case "PATCH" -> "patch";
            case "DELETE" -> "delete";
            default -> throw ApiException.methodNotAllowed("method " + method + " is not supported on nodes/proxy");
        };
    }
}
