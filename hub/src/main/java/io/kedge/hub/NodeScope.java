package io.kedge.hub;

import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.QueryStringEncoder;
import java.util.List;
import java.util.Map;

/**
 * The hub answers with the node's credentials, and a node may list only the pods bound to it. So a
 * local client's LIST or WATCH of pods is scoped to this node ({@code spec.nodeName=NODE} added to
 * its field selector): {@code kubectl get pods} on the node shows the node's pods instead of a 403.
 */
final class NodeScope {
    private static final String NODE_FIELD = "spec.nodeName";

    private NodeScope() {}

    static HubRequest scoped(HubRequest request, String nodeName) {
        if (!"GET".equals(request.method())) {
            return request;
        }
        ApiPath path;
        try {
            path = request.path();
        } catch (IllegalArgumentException e) {
            return request; // the handler answers a malformed path
        }
        if (!path.isCollection() || !path.is("", "pods", null)) {
            return request;
        }
        String fields = path.param("fieldSelector");
        if (fields != null && List.of(fields.split(",")).stream().anyMatch(f -> f.trim().startsWith(NODE_FIELD + "="))) {
            return request; // the client chose the node itself; another node's pods stay forbidden
        }
        QueryStringDecoder decoder = new QueryStringDecoder(request.uri());
        QueryStringEncoder encoder = new QueryStringEncoder(decoder.rawPath());
        for (Map.Entry<String, List<String>> p : decoder.parameters().entrySet()) {
            if (!p.getKey().equals("fieldSelector")) {
                p.getValue().forEach(v -> encoder.addParam(p.getKey(), v));
            }
        }
        String mine = NODE_FIELD + "=" + nodeName;
        encoder.addParam("fieldSelector", fields == null || fields.isBlank() ? mine : fields + "," + mine);
        return new HubRequest(request.method(), encoder.toString(), request.headers(), request.body());
    }
}
