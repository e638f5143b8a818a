package io.kedge.api.table;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The table printers of the built-in resources, keyed by API group and plural resource name,
 * with the same columns a Kubernetes API server serves. Printers are stateless and shared.
 */
public final class TablePrinters {
    public static final String EDGE_GROUP = "edge.kedge.io";

    private static final TablePrinter DEFAULT = DefaultPrinter.create();
    private static final Map<String, TablePrinter> BUILT_IN = builtIn();

    private TablePrinters() {}

    /**
     * The printer for a resource, or the NAME / CREATED AT printer when the resource has none of
     * its own (roles, clusterroles, customresourcedefinitions and anything unknown).
     *
     * @param group "" for the core group
     */
    public static TablePrinter forResource(String group, String resource) {
        return find(group, resource).orElse(DEFAULT);
    }

    /** The resource's own printer, if it has one. */
    public static Optional<TablePrinter> find(String group, String resource) {
        if (group == null) {
            throw new IllegalArgumentException("group must not be null; the core group is \"\"");
        }
        if (resource == null || resource.isEmpty()) {
            throw new IllegalArgumentException("resource must be a plural resource name such as \"pods\"");
        }
        return Optional.ofNullable(BUILT_IN.get(key(group, resource)));
    }

    /** NAME and CREATED AT, for resources without a printer of their own. */
    public static TablePrinter defaultPrinter() {
        return DEFAULT;
    }

    /** Every {@code group/resource} with a printer of its own ("/pods" for the core group). */
    public static Set<String> resourcesWithPrinters() {
        return BUILT_IN.keySet();
    }

    private static String key(String group, String resource) {
        return group + "/" + resource;
    }

    private static Map<String, TablePrinter> builtIn() {
        Map<String, TablePrinter> m = new HashMap<>();
        m.put(key("", "pods"), PodPrinter.create());
        m.put(key("", "nodes"), NodePrinter.create());
        m.put(key("", "services"), ServicePrinter.create());
        m.put(key("", "endpoints"), EndpointPrinters.endpoints());
        m.put(key("", "namespaces"), CorePrinters.namespaces());
        m.put(key("", "configmaps"), CorePrinters.configMaps());
        m.put(key("", "secrets"), CorePrinters.secrets());
        m.put(key("", "serviceaccounts"), CorePrinters.serviceAccounts());
        m.put(key("", "events"), EventPrinter.core());
        m.put(key("", "replicationcontrollers"), WorkloadPrinters.replicationControllers());
        m.put(key("", "podtemplates"), WorkloadPrinters.podTemplates());
        m.put(key("", "persistentvolumes"), StoragePrinters.persistentVolumes());
        m.put(key("", "persistentvolumeclaims"), StoragePrinters.persistentVolumeClaims());
        m.put(key("events.k8s.io", "events"), EventPrinter.eventsApi());
        m.put(key("discovery.k8s.io", "endpointslices"), EndpointPrinters.endpointSlices());
        m.put(key("apps", "deployments"), WorkloadPrinters.deployments());
        m.put(key("apps", "replicasets"), WorkloadPrinters.replicaSets());
        m.put(key("apps", "statefulsets"), WorkloadPrinters.statefulSets());
        m.put(key("apps", "daemonsets"), WorkloadPrinters.daemonSets());
        m.put(key("apps", "controllerrevisions"), WorkloadPrinters.controllerRevisions());
        m.put(key("batch", "jobs"), BatchPrinters.jobs());
        m.put(key("batch", "cronjobs"), BatchPrinters.cronJobs());
        m.put(key("coordination.k8s.io", "leases"), ClusterPrinters.leases());
        m.put(key("policy", "poddisruptionbudgets"), ClusterPrinters.podDisruptionBudgets());
        m.put(key("certificates.k8s.io", "certificatesigningrequests"), ClusterPrinters.certificateSigningRequests());
        m.put(key("scheduling.k8s.io", "priorityclasses"), ClusterPrinters.priorityClasses());
        m.put(key("node.k8s.io", "runtimeclasses"), ClusterPrinters.runtimeClasses());
        TablePrinter webhooks = ClusterPrinters.webhookConfigurations();
        m.put(key("admissionregistration.k8s.io", "mutatingwebhookconfigurations"), webhooks);
        m.put(key("admissionregistration.k8s.io", "validatingwebhookconfigurations"), webhooks);
        TablePrinter bindings = AccessPrinters.bindings();
        m.put(key("rbac.authorization.k8s.io", "rolebindings"), bindings);
        m.put(key("rbac.authorization.k8s.io", "clusterrolebindings"), bindings);
        m.put(key("networking.k8s.io", "ingresses"), NetworkPrinters.ingresses());
        m.put(key("networking.k8s.io", "ingressclasses"), NetworkPrinters.ingressClasses());
        m.put(key("networking.k8s.io", "networkpolicies"), NetworkPrinters.networkPolicies());
        m.put(key("storage.k8s.io", "storageclasses"), StoragePrinters.storageClasses());
        m.put(key(EDGE_GROUP, "edgeunits"), EdgePrinters.edgeUnits());
        m.put(key(EDGE_GROUP, "unitdeployments"), EdgePrinters.unitDeployments());
        return Map.copyOf(m);
    }
}
