package io.kedge.apiserver.authz;

import java.util.ArrayList;
import java.util.List;

/**
 * The rules of kedge's own components, under upstream's user and role names: what the controllers
 * ({@code system:kube-controller-manager}) and the scheduler ({@code system:kube-scheduler}) read
 * and write, and nothing more.
 *
 * <p>Upstream runs each controller under its own service account with a role of its own; kedge runs
 * its controllers in one process under one identity, so that identity holds the union of the rules
 * of kedge's controllers. Each group below names the controller that needs it, and keeps upstream's
 * verbs where kedge's controller does the same work, narrowed to what kedge's does.
 */
public final class ComponentPolicy {
    public static final String CONTROLLER_MANAGER = "system:kube-controller-manager";
    public static final String SCHEDULER = "system:kube-scheduler";
    /** The leader Leases of {@code io.kedge.controllers.AllControllers}, in kube-system. */
    static final String CONTROLLERS_LEASE = "kedge-controllers";
    static final String SCHEDULER_LEASE = "kedge-scheduler";

    static final String KUBELET_CLIENT_SIGNER = "kubernetes.io/kube-apiserver-client-kubelet";
    static final String KUBELET_SERVING_SIGNER = "kubernetes.io/kubelet-serving";
    static final String CLIENT_SIGNER = "kubernetes.io/kube-apiserver-client";

    private static final String CORE = "";
    private static final String APPS = "apps";
    private static final String BATCH = "batch";
    private static final String EDGE = "edge.kedge.io";
    private static final String CERTIFICATES = "certificates.k8s.io";
    private static final List<String> WATCH = List.of("list", "watch");
    private static final List<String> READ = List.of("get", "list", "watch");
    private static final List<String> UPDATE = List.of("update");

    private ComponentPolicy() {}

    public static List<PolicyRule> controllerManagerRules() {
        List<PolicyRule> r = new ArrayList<>(leaderElectionAndEvents(CONTROLLERS_LEASE));
        // garbage collector: every resource discovery lists (it sweeps them all, and informs Secrets and ConfigMaps
        // among others), patched to drop owner references and finalizers, deleted when orphaned; namespace
        // controller: every namespaced resource listed and deleted with a terminating namespace. Upstream's
        // generic-garbage-collector and namespace-controller roles have these on every resource too.
        r.add(rule(List.of("delete", "deletecollection", "get", "list", "patch", "watch"), "*", "*"));
        r.add(rule(READ, CORE, "namespaces"));
        r.add(rule(UPDATE, CORE, "namespaces/finalize", "namespaces/status"));
        // deployment controller (reads, and patches the revision annotation); UnitDeployment controller (below)
        r.add(rule(List.of("create", "delete", "get", "list", "patch", "update", "watch"), APPS, "deployments"));
        r.add(rule(UPDATE, APPS, "deployments/finalizers", "deployments/status"));
        r.add(rule(List.of("create", "delete", "get", "list", "patch", "update", "watch"), APPS, "replicasets"));
        // replicaset controller
        r.add(rule(UPDATE, APPS, "replicasets/finalizers", "replicasets/status"));
        r.add(rule(List.of("create", "delete", "get", "list", "patch", "watch"), CORE, "pods"));
        // daemonset and statefulset controllers (their pods: above)
        r.add(rule(READ, APPS, "daemonsets", "statefulsets"));
        r.add(rule(UPDATE, APPS, "daemonsets/finalizers", "daemonsets/status", "statefulsets/finalizers",
                "statefulsets/status"));
        r.add(rule(List.of("create", "delete", "get", "list", "patch", "watch"), APPS, "controllerrevisions"));
        // job controller (and the TTL of finished jobs), cronjob controller
        r.add(rule(List.of("create", "delete", "get", "list", "watch"), BATCH, "jobs"));
        r.add(rule(UPDATE, BATCH, "jobs/finalizers", "jobs/status"));
        r.add(rule(WATCH, BATCH, "cronjobs"));
        r.add(rule(UPDATE, BATCH, "cronjobs/finalizers", "cronjobs/status"));
        // endpoints and endpointslice controllers
        r.add(rule(WATCH, CORE, "services"));
        r.add(rule(List.of("create", "delete", "list", "update", "watch"), CORE, "endpoints"));
        r.add(rule(List.of("create", "delete", "list", "update", "watch"), "discovery.k8s.io", "endpointslices"));
        // service account controller, root CA publisher
        r.add(rule(List.of("create", "list", "watch"), CORE, "serviceaccounts"));
        r.add(rule(List.of("create", "list", "update", "watch"), CORE, "configmaps"));
        // node lifecycle, taint eviction, node IPAM, pod GC, EdgeUnit controller
        r.add(rule(List.of("get", "list", "patch", "watch"), CORE, "nodes"));
        r.add(rule(UPDATE, CORE, "nodes/status", "pods/status"));
        r.add(rule(WATCH, "coordination.k8s.io", "leases"));
        // disruption controller
        r.add(rule(WATCH, "policy", "poddisruptionbudgets"));
        r.add(rule(UPDATE, "policy", "poddisruptionbudgets/status"));
        // kedge's units: the EdgeUnit controller creates a unit its nodes name; the node lifecycle reads a unit's
        // autonomy; the UnitDeployment controller runs a Deployment per unit (deployments: above)
        r.add(rule(List.of("create", "get", "list", "watch"), EDGE, "edgeunits"));
        r.add(rule(WATCH, EDGE, "unitdeployments"));
        r.add(rule(UPDATE, EDGE, "edgeunits/status", "unitdeployments/finalizers", "unitdeployments/status"));
        // CSR approver (node client and serving certificates only), signer, and cleaner
        r.add(rule(List.of("delete", "get", "list", "watch"), CERTIFICATES, "certificatesigningrequests"));
        r.add(rule(UPDATE, CERTIFICATES, "certificatesigningrequests/approval", "certificatesigningrequests/status"));
        r.add(rule(List.of("approve"), CERTIFICATES, "signers").withNames(List.of(KUBELET_CLIENT_SIGNER,
                KUBELET_SERVING_SIGNER)));
        r.add(rule(List.of("sign"), CERTIFICATES, "signers").withNames(List.of(CLIENT_SIGNER, KUBELET_CLIENT_SIGNER,
                KUBELET_SERVING_SIGNER)));
        return r;
    }

    public static List<PolicyRule> schedulerRules() {
        List<PolicyRule> r = new ArrayList<>(leaderElectionAndEvents(SCHEDULER_LEASE));
        r.add(rule(WATCH, CORE, "namespaces", "nodes"));
        // fabric8 reads a pod before it patches its status
        r.add(rule(READ, CORE, "pods"));
        r.add(rule(List.of("create"), CORE, "pods/binding"));
        // the PodScheduled condition of a pod that does not fit
        r.add(rule(List.of("patch"), CORE, "pods/status"));
        return r;
    }

    /**
     * A Lease to lead by, and Events. A create names no object, so it cannot be narrowed to the
     * Lease's name; reading and renewing it can (fabric8's lock renews with a patch).
     */
    private static List<PolicyRule> leaderElectionAndEvents(String lease) {
        return List.of(
                rule(List.of("create"), "coordination.k8s.io", "leases"),
                rule(List.of("get", "patch"), "coordination.k8s.io", "leases").withNames(List.of(lease)),
                rule(List.of("create", "get", "update"), CORE, "events"));
    }

    private static PolicyRule rule(List<String> verbs, String group, String... resources) {
        return PolicyRule.resources(verbs, List.of(group), List.of(resources));
    }
}
