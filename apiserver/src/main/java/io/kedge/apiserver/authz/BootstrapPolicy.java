package io.kedge.apiserver.authz;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kedge.api.ApiException;
import io.kedge.api.Json;
import io.kedge.api.Meta;
import io.kedge.apiserver.registry.GenericRegistry;
import io.kedge.apiserver.registry.ResourceType;
import io.kedge.apiserver.registry.ResourceTypes;
import io.kedge.apiserver.registry.WriteOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The default roles and bindings every cluster starts with, with upstream's names, labels and rules:
 * cluster-admin, the aggregated admin/edit/view and their pieces, the discovery, basic-user and
 * public-info roles, the node bootstrapper, the auth delegator, and the roles of kedge's own
 * controllers and scheduler ({@link ComponentPolicy}).
 */
public final class BootstrapPolicy {
    static final String AGGREGATE_TO = "rbac.authorization.k8s.io/aggregate-to-";
    private static final List<String> READ = List.of("get", "list", "watch");
    private static final List<String> WRITE = List.of("create", "delete", "deletecollection", "patch", "update");
    private static final List<String> READ_WRITE = List.of("create", "delete", "deletecollection", "get", "list", "patch",
            "update", "watch");

    private BootstrapPolicy() {}

    public static List<ObjectNode> clusterRoles() {
        List<ObjectNode> out = new ArrayList<>();
        out.add(role("cluster-admin", Map.of(),
                PolicyRule.resources(List.of("*"), List.of("*"), List.of("*")),
                PolicyRule.urls(List.of("*"), List.of("*"))));
        out.add(aggregated("admin", "admin", Map.of()));
        out.add(aggregated("edit", "edit", Map.of(AGGREGATE_TO + "admin", "true")));
        out.add(aggregated("view", "view", Map.of(AGGREGATE_TO + "edit", "true")));
        out.add(role("system:aggregate-to-admin", Map.of(AGGREGATE_TO + "admin", "true"),
                PolicyRule.resources(List.of("create"), List.of("authorization.k8s.io"), List.of("localsubjectaccessreviews")),
                PolicyRule.resources(READ_WRITE, List.of("rbac.authorization.k8s.io"), List.of("rolebindings", "roles"))));
        out.add(role("system:aggregate-to-edit", Map.of(AGGREGATE_TO + "edit", "true"),
                PolicyRule.resources(List.of("impersonate"), List.of(""), List.of("serviceaccounts")),
                PolicyRule.resources(WRITE, List.of(""), List.of("pods", "pods/attach", "pods/exec", "pods/portforward", "pods/proxy")),
                PolicyRule.resources(List.of("create"), List.of(""), List.of("pods/eviction")),
                PolicyRule.resources(WRITE, List.of(""), List.of("configmaps", "events", "persistentvolumeclaims",
                        "replicationcontrollers", "replicationcontrollers/scale", "secrets", "serviceaccounts", "services",
                        "services/proxy")),
                PolicyRule.resources(List.of("create"), List.of(""), List.of("serviceaccounts/token")),
                PolicyRule.resources(WRITE, List.of("apps"), List.of("daemonsets", "deployments", "deployments/rollback",
                        "deployments/scale", "replicasets", "replicasets/scale", "statefulsets", "statefulsets/scale")),
                PolicyRule.resources(WRITE, List.of("autoscaling"), List.of("horizontalpodautoscalers")),
                PolicyRule.resources(WRITE, List.of("batch"), List.of("cronjobs", "jobs")),
                PolicyRule.resources(WRITE, List.of("extensions"), List.of("daemonsets", "deployments", "deployments/rollback",
                        "deployments/scale", "ingresses", "networkpolicies", "replicasets", "replicasets/scale",
                        "replicationcontrollers/scale")),
                PolicyRule.resources(WRITE, List.of("policy"), List.of("poddisruptionbudgets")),
                PolicyRule.resources(WRITE, List.of("networking.k8s.io"), List.of("ingresses", "networkpolicies")),
                PolicyRule.resources(READ, List.of(""), List.of("pods/attach", "pods/exec", "pods/portforward", "pods/proxy",
                        "secrets", "services/proxy"))));
        out.add(role("system:aggregate-to-view", Map.of(AGGREGATE_TO + "view", "true"),
                PolicyRule.resources(READ, List.of(""), List.of("configmaps", "endpoints", "persistentvolumeclaims",
                        "persistentvolumeclaims/status", "pods", "replicationcontrollers", "replicationcontrollers/scale",
                        "serviceaccounts", "services", "services/status")),
                PolicyRule.resources(READ, List.of(""), List.of("bindings", "events", "limitranges", "namespaces/status",
                        "pods/log", "pods/status", "replicationcontrollers/status", "resourcequotas", "resourcequotas/status")),
                PolicyRule.resources(READ, List.of(""), List.of("namespaces")),
                PolicyRule.resources(READ, List.of("discovery.k8s.io"), List.of("endpointslices")),
                PolicyRule.resources(READ, List.of("apps"), List.of("controllerrevisions", "daemonsets", "daemonsets/status",
                        "deployments", "deployments/scale", "deployments/status", "replicasets", "replicasets/scale",
                        "replicasets/status", "statefulsets", "statefulsets/scale", "statefulsets/status")),
                PolicyRule.resources(READ, List.of("autoscaling"), List.of("horizontalpodautoscalers",
                        "horizontalpodautoscalers/status")),
                PolicyRule.resources(READ, List.of("batch"), List.of("cronjobs", "cronjobs/status", "jobs", "jobs/status")),
                PolicyRule.resources(READ, List.of("extensions"), List.of("daemonsets", "daemonsets/status", "deployments",
                        "deployments/scale", "deployments/status", "ingresses", "ingresses/status", "networkpolicies",
                        "replicasets", "replicasets/scale", "replicasets/status", "replicationcontrollers/scale")),
                PolicyRule.resources(READ, List.of("policy"), List.of("poddisruptionbudgets", "poddisruptionbudgets/status")),
                PolicyRule.resources(READ, List.of("networking.k8s.io"), List.of("ingresses", "ingresses/status",
                        "networkpolicies"))));
        // kedge's own API, in pieces of its own so that upstream's pieces stay as upstream has them
        out.add(role("kedge:aggregate-to-view", Map.of(AGGREGATE_TO + "view", "true"),
                PolicyRule.resources(READ, List.of("edge.kedge.io"), List.of("edgeunits", "edgeunits/status",
                        "unitdeployments", "unitdeployments/status"))));
        out.add(role("kedge:aggregate-to-edit", Map.of(AGGREGATE_TO + "edit", "true"),
                PolicyRule.resources(WRITE, List.of("edge.kedge.io"), List.of("unitdeployments"))));
        // a node's hub filters the EndpointSlices it serves by unit, and its agent routes to its unit peers: both read
        // which unit each node is in and which units are Cloud units
        out.add(role("kedge:node-units-reader", Map.of(),
                PolicyRule.resources(READ, List.of(""), List.of("nodes")),
                PolicyRule.resources(READ, List.of("edge.kedge.io"), List.of("edgeunits"))));
        out.add(role("system:discovery", Map.of(),
                PolicyRule.urls(List.of("get"), List.of("/api", "/api/*", "/apis", "/apis/*", "/healthz", "/livez",
                        "/openapi", "/openapi/*", "/readyz", "/version", "/version/"))));
        out.add(role("system:basic-user", Map.of(),
                PolicyRule.resources(List.of("create"), List.of("authentication.k8s.io"), List.of("selfsubjectreviews")),
                PolicyRule.resources(List.of("create"), List.of("authorization.k8s.io"),
                        List.of("selfsubjectaccessreviews", "selfsubjectrulesreviews"))));
        out.add(role("system:public-info-viewer", Map.of(),
                PolicyRule.urls(List.of("get"), List.of("/healthz", "/livez", "/readyz", "/version", "/version/"))));
        out.add(role("system:service-account-issuer-discovery", Map.of(),
                PolicyRule.urls(List.of("get"), List.of("/.well-known/openid-configuration", "/.well-known/openid-configuration/",
                        "/openid/v1/jwks", "/openid/v1/jwks/"))));
        out.add(role("system:node-bootstrapper", Map.of(),
                PolicyRule.resources(List.of("create", "get", "list", "watch"), List.of("certificates.k8s.io"),
                        List.of("certificatesigningrequests"))));
        out.add(role("system:auth-delegator", Map.of(),
                PolicyRule.resources(List.of("create"), List.of("authentication.k8s.io"), List.of("tokenreviews")),
                PolicyRule.resources(List.of("create"), List.of("authorization.k8s.io"), List.of("subjectaccessreviews"))));
        out.add(role(ComponentPolicy.CONTROLLER_MANAGER, Map.of(),
                ComponentPolicy.controllerManagerRules().toArray(PolicyRule[]::new)));
        out.add(role(ComponentPolicy.SCHEDULER, Map.of(), ComponentPolicy.schedulerRules().toArray(PolicyRule[]::new)));
        return out;
    }

    public static List<ObjectNode> clusterRoleBindings() {
        return List.of(
                binding("cluster-admin", "cluster-admin", "system:masters"),
                binding("system:basic-user", "system:basic-user", "system:authenticated"),
                binding("system:discovery", "system:discovery", "system:authenticated"),
                binding("system:public-info-viewer", "system:public-info-viewer", "system:authenticated",
                        "system:unauthenticated"),
                // joining nodes ask for their certificate with a bootstrap token (kedge token create)
                binding("kedge:node-bootstrapper", "system:node-bootstrapper", "system:bootstrappers"),
                binding("kedge:node-units-reader", "kedge:node-units-reader", "system:nodes"),
                componentBinding(ComponentPolicy.CONTROLLER_MANAGER),
                componentBinding(ComponentPolicy.SCHEDULER),
                binding("system:service-account-issuer-discovery", "system:service-account-issuer-discovery",
                        "system:serviceaccounts"),
                // a node's hub checks its pods' tokens itself while the cloud is unreachable, with the key it read before
                binding("kedge:node-service-account-issuer-discovery", "system:service-account-issuer-discovery", "system:nodes"));
    }

    /**
     * Creates each default role and binding that does not exist, and adds to an existing one what
     * this server's defaults have and it lacks (see {@link DefaultPolicyReconciler}).
     */
    public static void ensure(ResourceTypes types, GenericRegistry registry, WriteOptions writer) {
        ResourceType roles = types.find(RbacPolicy.GROUP, "v1", "clusterroles").orElseThrow();
        ResourceType bindings = types.find(RbacPolicy.GROUP, "v1", "clusterrolebindings").orElseThrow();
        clusterRoles().forEach(r -> ensure(registry, roles, r, writer));
        clusterRoleBindings().forEach(b -> ensure(registry, bindings, b, writer));
    }

    private static void ensure(GenericRegistry registry, ResourceType t, ObjectNode wanted, WriteOptions writer) {
        String name = Meta.name(wanted);
        Optional<ObjectNode> existing = registry.get(t, null, name);
        if (existing.isPresent()) {
            if (DefaultPolicyReconciler.reconciled(existing.get(), wanted).isPresent()) {
                // without a resourceVersion the registry retries on a concurrent write (the aggregator's)
                registry.update(t, null, name, null, old -> {
                    ObjectNode next = DefaultPolicyReconciler.reconciled(old, wanted).orElse(old);
                    Meta.metadata(next).remove("resourceVersion");
                    return next;
                }, null, writer);
            }
            return;
        }
        try {
            registry.create(t, null, wanted.deepCopy(), writer);
        } catch (ApiException e) {
            if (e.code() != 409) {
                throw e;
            }
        }
    }

    private static ObjectNode role(String name, Map<String, String> labels, PolicyRule... rules) {
        ObjectNode r = head("ClusterRole", name, labels);
        ArrayNode arr = r.putArray("rules");
        for (PolicyRule rule : rules) {
            arr.add(rule.toJson());
        }
        return r;
    }

    /** A role whose rules are those of every ClusterRole labelled {@code aggregate-to-<to>}, filled in by the aggregator. */
    private static ObjectNode aggregated(String name, String to, Map<String, String> labels) {
        ObjectNode r = head("ClusterRole", name, labels);
        r.putObject("aggregationRule").putArray("clusterRoleSelectors").addObject().putObject("matchLabels")
                .put(AGGREGATE_TO + to, "true");
        r.putArray("rules");
        return r;
    }

    private static ObjectNode binding(String name, String role, String... groups) {
        return subjectsBinding(name, role, "Group", groups);
    }

    /** As upstream has it: the component's user bound to the role of its name, by a binding of that name too. */
    private static ObjectNode componentBinding(String user) {
        return subjectsBinding(user, user, "User", user);
    }

    private static ObjectNode subjectsBinding(String name, String role, String subjectKind, String... subjectNames) {
        ObjectNode b = head("ClusterRoleBinding", name, Map.of());
        b.putObject("roleRef").put("apiGroup", RbacPolicy.GROUP).put("kind", "ClusterRole").put("name", role);
        ArrayNode subjects = b.putArray("subjects");
        for (String s : subjectNames) {
            subjects.addObject().put("apiGroup", RbacPolicy.GROUP).put("kind", subjectKind).put("name", s);
        }
        return b;
    }

    private static ObjectNode head(String kind, String name, Map<String, String> labels) {
        ObjectNode o = Json.object();
        o.put("apiVersion", RbacPolicy.GROUP + "/v1").put("kind", kind);
        ObjectNode meta = o.putObject("metadata");
        meta.put("name", name);
        ObjectNode l = meta.putObject("labels");
        l.put("kubernetes.io/bootstrapping", "rbac-defaults");
        labels.forEach(l::put);
        meta.putObject("annotations").put(DefaultPolicyReconciler.AUTOUPDATE, "true");
        return o;
    }
}
