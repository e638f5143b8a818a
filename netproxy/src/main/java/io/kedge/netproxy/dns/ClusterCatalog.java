package io.kedge.netproxy.dns;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Services and EndpointSlices the node DNS answers from: informer caches on the client it is
 * given (the node's hub in production, so the caches outlive a lost uplink), indexed for the
 * lookups a query needs.
 */
final class ClusterCatalog implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterCatalog.class);
    static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";
    private static final String BY_NAMESPACE = "kedge-dns-namespace";
    private static final String BY_CLUSTER_IP = "kedge-dns-cluster-ip";
    private static final String BY_SERVICE = "kedge-dns-service";
    private static final String BY_ADDRESS = "kedge-dns-address";

    private final SharedIndexInformer<Service> services;
    private final SharedIndexInformer<EndpointSlice> slices;

    private ClusterCatalog(SharedIndexInformer<Service> services, SharedIndexInformer<EndpointSlice> slices) {
        this.services = services;
        this.slices = slices;
    }

    /** Starts both informers; returns at once, {@link #synced()} tells when the first lists are in. */
    static ClusterCatalog start(KubernetesClient client) {
        SharedIndexInformer<Service> services = client.services().inAnyNamespace().runnableInformer(0);
        services.addIndexers(Map.of(
                BY_NAMESPACE, s -> List.of(s.getMetadata().getNamespace()),
                BY_CLUSTER_IP, ClusterCatalog::clusterIps));
        SharedIndexInformer<EndpointSlice> slices = client.discovery().v1().endpointSlices().inAnyNamespace()
                .runnableInformer(0);
        slices.addIndexers(Map.of(
                BY_SERVICE, s -> {
                    String svc = s.getMetadata().getLabels() == null ? null : s.getMetadata().getLabels().get(SERVICE_NAME_LABEL);
                    return svc == null ? List.of() : List.of(s.getMetadata().getNamespace() + "/" + svc);
                },
                BY_ADDRESS, ClusterCatalog::addresses));
        // fabric8 gives up by default when the first list fails; the hub may not be up yet, so keep trying
        services.exceptionHandler(ClusterCatalog::retry);
        slices.exceptionHandler(ClusterCatalog::retry);
        services.start();
        slices.start();
        return new ClusterCatalog(services, slices);
    }

    private static boolean retry(boolean started, Throwable t) {
        LOG.debug("node DNS informer error ({}), retrying: {}", started ? "running" : "starting", t.toString());
        return true;
    }

    boolean synced() {
        return services.hasSynced() && slices.hasSynced();
    }

    Service service(String namespace, String name) {
        return services.getStore().getByKey(namespace + "/" + name);
    }

    boolean hasNamespace(String namespace) {
        return !services.getIndexer().byIndex(BY_NAMESPACE, namespace).isEmpty();
    }

    List<Service> servicesWithClusterIp(String ip) {
        return services.getIndexer().byIndex(BY_CLUSTER_IP, ip);
    }

    List<EndpointSlice> slicesOf(String namespace, String service) {
        return slices.getIndexer().byIndex(BY_SERVICE, namespace + "/" + service);
    }

    List<EndpointSlice> slicesWithAddress(String ip) {
        return slices.getIndexer().byIndex(BY_ADDRESS, ip);
    }

    private static List<String> clusterIps(Service s) {
        if (s.getSpec() == null) {
            return List.of();
        }
        List<String> ips = new ArrayList<>();
        if (s.getSpec().getClusterIPs() != null) {
            ips.addAll(s.getSpec().getClusterIPs());
        } else if (s.getSpec().getClusterIP() != null) {
            ips.add(s.getSpec().getClusterIP());
        }
        ips.removeIf(ip -> ip.isEmpty() || ip.equals("None"));
        return ips.stream().map(Addresses::canonical).toList();
    }

    private static List<String> addresses(EndpointSlice s) {
        if (s.getEndpoints() == null || "FQDN".equals(s.getAddressType())) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (Endpoint e : s.getEndpoints()) {
            if (e.getAddresses() != null) {
                e.getAddresses().forEach(a -> out.add(Addresses.canonical(a)));
            }
        }
        return out;
    }

    @Override
    public void close() {
        services.close();
        slices.close();
    }
}
