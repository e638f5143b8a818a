package io.kedge.netproxy.iptables;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServiceSpec;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * Turns Services and their EndpointSlices into the ports this node forwards. IPv4 only. Headless
 * and ExternalName Services have no virtual IP, so they are left out.
 */
public final class ServiceTable {
    /** The label that ties an EndpointSlice to its Service. */
    public static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";
    static final int DEFAULT_AFFINITY_SECONDS = 10800;

    private ServiceTable() {
    }

    /** The forwarded ports of all Services, in a stable order so that equal inputs give equal rules. */
    public static List<ProxiedPort> build(Collection<Service> services, Collection<EndpointSlice> slices) {
        Map<String, List<EndpointSlice>> slicesByService = new HashMap<>();
        for (EndpointSlice slice : slices) {
            String service = slice.getMetadata().getLabels() == null ? null
                    : slice.getMetadata().getLabels().get(SERVICE_NAME_LABEL);
            if (service != null && "IPv4".equals(slice.getAddressType())) {
                slicesByService.computeIfAbsent(slice.getMetadata().getNamespace() + "/" + service, k -> new ArrayList<>())
                        .add(slice);
            }
        }
        List<ProxiedPort> ports = new ArrayList<>();
        for (Service service : services) {
            String key = service.getMetadata().getNamespace() + "/" + service.getMetadata().getName();
            ports.addAll(portsOf(service, slicesByService.getOrDefault(key, List.of())));
        }
        ports.sort(Comparator.comparing(ProxiedPort::namespace).thenComparing(ProxiedPort::name)
                .thenComparing(ProxiedPort::portName).thenComparing(ProxiedPort::protocol));
        return ports;
    }

    static List<ProxiedPort> portsOf(Service service, List<EndpointSlice> slices) {
        ServiceSpec spec = service.getSpec();
        String clusterIp = spec == null ? null : spec.getClusterIP();
        if (spec == null || "ExternalName".equals(spec.getType()) || clusterIp == null || clusterIp.isEmpty()
                || "None".equals(clusterIp) || clusterIp.contains(":") || spec.getPorts() == null) {
            return List.of();
        }
        int affinity = affinitySeconds(spec);
        List<ProxiedPort> ports = new ArrayList<>();
        for (ServicePort sp : spec.getPorts()) {
            String protocol = sp.getProtocol() == null ? "TCP" : sp.getProtocol();
            int nodePort = sp.getNodePort() == null || "ClusterIP".equals(spec.getType()) ? 0 : sp.getNodePort();
            ports.add(new ProxiedPort(service.getMetadata().getNamespace(), service.getMetadata().getName(), sp.getName(),
                    protocol, clusterIp, sp.getPort(), nodePort, affinity, readyEndpoints(sp, protocol, slices)));
        }
        return ports;
    }

    private static int affinitySeconds(ServiceSpec spec) {
        if (!"ClientIP".equals(spec.getSessionAffinity())) {
            return 0;
        }
        var config = spec.getSessionAffinityConfig();
        Integer timeout = config == null || config.getClientIP() == null ? null : config.getClientIP().getTimeoutSeconds();
        return timeout == null || timeout <= 0 ? DEFAULT_AFFINITY_SECONDS : timeout;
    }

    /**
     * The slice port with the Service port's name carries the number each endpoint listens on, so a
     * named targetPort is already resolved there; an endpoint is ready unless it says otherwise.
     */
    private static List<Endpoint> readyEndpoints(ServicePort sp, String protocol, List<EndpointSlice> slices) {
        String name = sp.getName() == null ? "" : sp.getName();
        TreeSet<Endpoint> endpoints = new TreeSet<>();
        for (EndpointSlice slice : slices) {
            Integer number = null;
            for (EndpointPort p : slice.getPorts() == null ? List.<EndpointPort>of() : slice.getPorts()) {
                String pName = p.getName() == null ? "" : p.getName();
                String pProtocol = p.getProtocol() == null ? "TCP" : p.getProtocol();
                if (pName.equals(name) && pProtocol.equalsIgnoreCase(protocol) && p.getPort() != null) {
                    number = p.getPort();
                }
            }
            if (number == null || slice.getEndpoints() == null) {
                continue;
            }
            for (var e : slice.getEndpoints()) {
                boolean ready = e.getConditions() == null || !Objects.equals(Boolean.FALSE, e.getConditions().getReady());
                if (ready && e.getAddresses() != null && !e.getAddresses().isEmpty()) {
                    // all addresses of one endpoint are the same backend; the first is the one to use
                    endpoints.add(new Endpoint(e.getAddresses().get(0), number));
                }
            }
        }
        return List.copyOf(endpoints);
    }
}
