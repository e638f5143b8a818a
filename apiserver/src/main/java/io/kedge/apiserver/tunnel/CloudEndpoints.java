package io.kedge.apiserver.tunnel;

import com.fasterxml.jackson.databind.JsonNode;
import io.kedge.api.Json;
import io.kedge.api.selector.LabelSelector;
import io.kedge.apiserver.registry.ResourceType;
import io.kedge.apiserver.registry.ResourceTypes;
import io.kedge.apiserver.storage.CacheHub;
import io.kedge.apiserver.storage.CachedObject;
import io.kedge.apiserver.storage.WatchFilter;
import io.kedge.tunnel.ServiceTarget;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Where a Service port named by an agent's stream is served on cloud nodes: the ready endpoints of
 * the Service's EndpointSlices that run on nodes of a {@code Cloud}-type EdgeUnit, at the endpoint
 * port matched to the Service port by name. Read from the server's caches, never from the store.
 */
final class CloudEndpoints {
    static final String UNIT_LABEL = "kedge.io/unit";
    static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";
    static final String CLOUD = "Cloud";

    /** The objects the decision reads; the server's caches in production. */
    interface Lookup {
        Optional<JsonNode> service(String namespace, String name);

        /** The EndpointSlices labelled {@code kubernetes.io/service-name=<service>} in the namespace. */
        List<JsonNode> endpointSlices(String namespace, String service);

        Optional<JsonNode> node(String name);

        Optional<JsonNode> edgeUnit(String name);
    }

    enum Refusal { MALFORMED_TARGET, NO_SUCH_SERVICE, NO_SUCH_PORT, NOT_TCP, NO_CLOUD_ENDPOINTS }

    /** Either the endpoints to dial (never empty) or why there are none. */
    record Resolution(List<InetSocketAddress> endpoints, Refusal refusal, String reason) {
        static Resolution refused(Refusal refusal, String reason) {
            return new Resolution(List.of(), refusal, reason);
        }

        boolean found() {
            return refusal == null;
        }
    }

    private final Lookup lookup;

    CloudEndpoints(Lookup lookup) {
        this.lookup = lookup;
    }

    static CloudEndpoints fromCaches(ResourceTypes types, CacheHub hub) {
        ResourceType services = types.find("", "v1", "services").orElseThrow();
        ResourceType slices = types.find("discovery.k8s.io", "v1", "endpointslices").orElseThrow();
        ResourceType nodes = types.find("", "v1", "nodes").orElseThrow();
        ResourceType units = types.find("edge.kedge.io", "v1alpha1", "edgeunits").orElseThrow();
        return new CloudEndpoints(new Lookup() {
            @Override
            public Optional<JsonNode> service(String namespace, String name) {
                return get(hub, services, namespace, name);
            }

            @Override
            public List<JsonNode> endpointSlices(String namespace, String service) {
                WatchFilter ofService = new WatchFilter(namespace, LabelSelector.fromMap(Map.of(SERVICE_NAME_LABEL, service)), null);
                List<JsonNode> out = new ArrayList<>();
                for (CachedObject o : hub.cacheFor(slices).list(slices.keyPrefix(namespace), null, 0, ofService).items()) {
                    out.add(Json.trusted(o.json()));
                }
                return out;
            }

            @Override
            public Optional<JsonNode> node(String name) {
                return get(hub, nodes, null, name);
            }

            @Override
            public Optional<JsonNode> edgeUnit(String name) {
                return get(hub, units, null, name);
            }
        });
    }

    private static Optional<JsonNode> get(CacheHub hub, ResourceType type, String namespace, String name) {
        CachedObject o = hub.cacheFor(type).get(type.key(namespace, name));
        return o == null ? Optional.empty() : Optional.of(Json.trusted(o.json()));
    }

    Resolution resolve(ServiceTarget target) {
        String service = target.namespace() + "/" + target.name();
        Optional<JsonNode> svc = lookup.service(target.namespace(), target.name());
        if (svc.isEmpty()) {
            return Resolution.refused(Refusal.NO_SUCH_SERVICE, "service \"" + service + "\" not found");
        }
        // a port number may be served on TCP and UDP both (DNS); the tunnel's is the TCP one
        JsonNode servicePort = null;
        String otherProtocol = null;
        TreeSet<Integer> ports = new TreeSet<>();
        for (JsonNode p : svc.get().path("spec").path("ports")) {
            ports.add(p.path("port").asInt());
            if (p.path("port").asInt() == target.port()) {
                String protocol = p.path("protocol").asText("TCP");
                if (protocol.equals("TCP")) {
                    servicePort = p;
                } else {
                    otherProtocol = protocol;
                }
            }
        }
        if (servicePort == null && otherProtocol != null) {
            return Resolution.refused(Refusal.NOT_TCP, "port " + target.port() + " of service \"" + service + "\" is "
                    + otherProtocol + "; the tunnel carries TCP only");
        }
        if (servicePort == null) {
            return Resolution.refused(Refusal.NO_SUCH_PORT, "service \"" + service + "\" has no port " + target.port()
                    + " (its ports: " + ports + ")");
        }
        String portName = servicePort.path("name").asText("");
        List<InetSocketAddress> found = new ArrayList<>();
        int ready = 0;
        for (JsonNode slice : lookup.endpointSlices(target.namespace(), target.name())) {
            String family = slice.path("addressType").asText();
            if (!family.equals("IPv4") && !family.equals("IPv6")) {
                continue; // FQDN slices name hosts, not addresses this server dials
            }
            Optional<Integer> endpointPort = endpointPort(slice, portName);
            if (endpointPort.isEmpty()) {
                continue;
            }
            for (JsonNode endpoint : slice.path("endpoints")) {
                // an unset ready condition counts as ready, as discovery/v1 asks consumers to read it
                if (!endpoint.path("conditions").path("ready").asBoolean(true) || endpoint.path("addresses").isEmpty()) {
                    continue;
                }
                ready++;
                if (onCloudNode(endpoint.path("nodeName").asText(""))) {
                    found.add(new InetSocketAddress(endpoint.path("addresses").get(0).asText(), endpointPort.get()));
                }
            }
        }
        if (found.isEmpty()) {
            return Resolution.refused(Refusal.NO_CLOUD_ENDPOINTS, "service \"" + service + "\" has no ready endpoints"
                    + " for port " + target.port() + " on cloud nodes (nodes of a " + CLOUD + "-type EdgeUnit)"
                    + (ready > 0 ? "; its " + ready + " ready endpoint(s) run elsewhere" : ""));
        }
        found.sort(Comparator.comparing(InetSocketAddress::getHostString).thenComparingInt(InetSocketAddress::getPort));
        return new Resolution(List.copyOf(found), null, null);
    }

    /** The slice's port for the Service port: same name (both unnamed for a single-port Service), TCP. */
    private static Optional<Integer> endpointPort(JsonNode slice, String portName) {
        for (JsonNode p : slice.path("ports")) {
            if (p.path("name").asText("").equals(portName) && p.path("protocol").asText("TCP").equals("TCP")
                    && p.path("port").canConvertToInt() && p.path("port").asInt() > 0) {
                return Optional.of(p.path("port").asInt());
            }
        }
        return Optional.empty();
    }

    private boolean onCloudNode(String nodeName) {
        if (nodeName.isEmpty()) {
            return false;
        }
        String unit = lookup.node(nodeName).map(n -> n.path("metadata").path("labels").path(UNIT_LABEL).asText("")).orElse("");
        return !unit.isEmpty() && lookup.edgeUnit(unit)
                .map(u -> CLOUD.equals(u.path("spec").path("type").asText())).orElse(false);
    }
}
