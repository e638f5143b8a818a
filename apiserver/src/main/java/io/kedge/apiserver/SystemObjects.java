package io.kedge.apiserver;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kedge.api.ApiException;
import io.kedge.api.Json;
import io.kedge.apiserver.auth.UserInfo;
import io.kedge.apiserver.authz.BootstrapPolicy;
import io.kedge.apiserver.registry.GenericRegistry;
import io.kedge.apiserver.registry.ResourceType;
import io.kedge.apiserver.registry.ResourceTypes;
import io.kedge.apiserver.registry.ServiceIpAllocator;
import io.kedge.apiserver.registry.WriteOptions;
import java.util.List;

/**
 * The objects every cluster has: the default RBAC policy, the system namespaces, and the
 * {@code default/kubernetes} Service with Endpoints pointing at this server.
 */
final class SystemObjects {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(SystemObjects.class);
    static final List<String> NAMESPACES = List.of("default", "kube-system", "kube-public", "kube-node-lease", "kedge-system");
    static final WriteOptions SYSTEM = new WriteOptions(false, "kedge-apiserver", "Ignore",
            new UserInfo("system:apiserver", "", List.of("system:masters")));

    private SystemObjects() {}

    static void ensure(ResourceTypes types, GenericRegistry registry, ServiceIpAllocator ips, String address, int port) {
        BootstrapPolicy.ensure(types, registry, SYSTEM);
        ResourceType namespaces = types.find("", "v1", "namespaces").orElseThrow();
        for (String ns : NAMESPACES) {
            if (registry.get(namespaces, null, ns).isEmpty()) {
                ObjectNode obj = Json.object();
                obj.putObject("metadata").put("name", ns);
                createIgnoringRace(registry, namespaces, null, obj);
            }
        }
        ResourceType services = types.find("", "v1", "services").orElseThrow();
        if (registry.get(services, "default", "kubernetes").isEmpty()) {
            ObjectNode svc = Json.object();
            svc.putObject("metadata").put("name", "kubernetes").putObject("labels")
                    .put("component", "apiserver").put("provider", "kubernetes");
            ObjectNode spec = svc.putObject("spec");
            spec.put("type", "ClusterIP").put("clusterIP", ips.first());
            spec.putArray("ports").addObject().put("name", "https").put("port", 443).put("protocol", "TCP").put("targetPort", port);
            createIgnoringRace(registry, services, "default", svc);
        }
        if (isLoopback(address)) {
            // Endpoints may not point at loopback; in-cluster clients need a routable --advertise-address
            LOG.info("not publishing default/kubernetes endpoints for loopback address {}; set --advertise-address", address);
            return;
        }
        ResourceType endpoints = types.find("", "v1", "endpoints").orElseThrow();
        ObjectNode ep = Json.object();
        ep.putObject("metadata").put("name", "kubernetes").put("namespace", "default");
        ObjectNode subset = ep.putArray("subsets").addObject();
        subset.putArray("addresses").addObject().put("ip", address);
        subset.putArray("ports").addObject().put("name", "https").put("port", port).put("protocol", "TCP");
        registry.update(endpoints, "default", "kubernetes", null, old -> {
            ObjectNode next = ep.deepCopy();
            next.set("metadata", old.get("metadata"));
            ((ObjectNode) next.get("metadata")).remove("resourceVersion");
            return next;
        }, ep, SYSTEM);
        // the same address as an EndpointSlice, which Service proxies read (an edge node's hub serves it pointing at itself)
        ResourceType slices = types.find("discovery.k8s.io", "v1", "endpointslices").orElseThrow();
        ObjectNode slice = Json.object();
        slice.put("apiVersion", "discovery.k8s.io/v1").put("kind", "EndpointSlice");
        slice.putObject("metadata").put("name", "kubernetes").put("namespace", "default").putObject("labels")
                .put("kubernetes.io/service-name", "kubernetes");
        slice.put("addressType", address.contains(":") ? "IPv6" : "IPv4");
        ObjectNode endpoint = slice.putArray("endpoints").addObject();
        endpoint.putArray("addresses").add(address);
        endpoint.putObject("conditions").put("ready", true);
        slice.putArray("ports").addObject().put("name", "https").put("port", port).put("protocol", "TCP");
        registry.update(slices, "default", "kubernetes", null, old -> {
            ObjectNode next = slice.deepCopy();
            next.set("metadata", old.get("metadata"));
            ((ObjectNode) next.get("metadata")).remove("resourceVersion");
            return next;
        }, slice, SYSTEM);
    }

    private static boolean isLoopback(String address) {
        try {
            return java.net.InetAddress.getByName(address).isLoopbackAddress();
        } catch (java.net.UnknownHostException e) {
            return true;
        }
    }

    private static void createIgnoringRace(GenericRegistry registry, ResourceType t, String ns, ObjectNode obj) {
        try {
            registry.create(t, ns, obj, SYSTEM);
        } catch (ApiException e) {
            if (e.code() != 409) {
                throw e;
            }
        }
    }
}
