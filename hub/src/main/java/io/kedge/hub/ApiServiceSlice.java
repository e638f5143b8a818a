package io.kedge.hub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kedge.api.Meta;
import java.net.InetSocketAddress;

/**
 * The {@code default/kubernetes} Service as the node is served it: its one endpoint is the hub's
 * endpoint for pods, so the node's Service proxy sends the ClusterIP's port 443 to the hub, and
 * in-cluster clients keep working while the cloud is unreachable.
 */
final class ApiServiceSlice {
    private ApiServiceSlice() {}

    static boolean is(ObjectNode slice) {
        return "default".equals(ObjectFilter.namespaceOf(slice))
                && "kubernetes".equals(Meta.labels(slice).get(UnitView.SERVICE_NAME_LABEL));
    }

    static ObjectNode at(ObjectNode slice, InetSocketAddress hub) {
        ObjectNode copy = slice.deepCopy();
        ArrayNode endpoints = copy.putArray("endpoints");
        ObjectNode endpoint = endpoints.addObject();
        endpoint.putArray("addresses").add(hub.getAddress().getHostAddress());
        endpoint.putObject("conditions").put("ready", true).put("serving", true).put("terminating", false);
        ArrayNode ports = copy.putArray("ports");
        boolean any = false;
        for (JsonNode port : slice.path("ports")) {
            if ("TCP".equals(port.path("protocol").asText("TCP"))) {
                ports.add(((ObjectNode) port.deepCopy()).put("port", hub.getPort()));
                any = true;
            }
        }
        if (!any) {
            ports.addObject().put("name", "https").put("port", hub.getPort()).put("protocol", "TCP");
        }
        return copy;
    }
}
