package io.kedge.apiserver.registry;

import com.fasterxml.jackson.databind.JsonNode;
import io.kedge.api.table.TablePrinters;
import io.kedge.api.validation.BuiltinStrategies;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/** The catalog of built-in resources the server serves from the start. */
public final class BuiltinTypes {
    private static final ResourceType.ScalePaths REPLICAS_SCALE =
            new ResourceType.ScalePaths(".spec.replicas", ".status.replicas", ".status.selector");

    private BuiltinTypes() {}

    public static List<ResourceType> all(ServiceIpAllocator ips) {
        return all(ips, new NodePortAllocator());
    }

    public static List<ResourceType> all(ServiceIpAllocator ips, NodePortAllocator nodePorts) {
        List<ResourceType> t = new ArrayList<>();
        // core/v1
        t.add(of("", "v1", "Namespace", "namespaces", false).shortNames("ns").status()
                .strategy(b -> new NamespaceStrategy(b.generic())).sub("finalize").fields(fields("status.phase")).build());
        t.add(of("", "v1", "Node", "nodes", false).shortNames("no").status().sub("proxy").createOnUpdate()
                .fields(fields("spec.unschedulable")).build());
        t.add(of("", "v1", "Pod", "pods", true).shortNames("po").categories("all").status()
                .sub("binding", "eviction", "log", "exec", "attach", "portforward")
                .fields(fields("spec.nodeName", "spec.restartPolicy", "spec.schedulerName", "spec.serviceAccountName",
                        "spec.hostNetwork", "status.phase", "status.podIP", "status.nominatedNodeName"))
                .strategy(b -> new PodStrategy(b.generic())).build());
        t.add(of("", "v1", "Service", "services", true).shortNames("svc").categories("all").status()
                .strategy(b -> new ServiceStrategy(b.generic(), ips, nodePorts)).build());
        t.add(of("", "v1", "Endpoints", "endpoints", true).shortNames("ep").createOnUpdate().build());
        t.add(of("", "v1", "ConfigMap", "configmaps", true).shortNames("cm").build());
        t.add(of("", "v1", "Secret", "secrets", true).fields(fields("type")).build());
        t.add(of("", "v1", "ServiceAccount", "serviceaccounts", true).shortNames("sa").sub("token").build());
        t.add(of("", "v1", "Event", "events", true).shortNames("ev").createOnUpdate()
                .fields(fields("involvedObject.kind", "involvedObject.namespace", "involvedObject.name",
                        "involvedObject.uid", "involvedObject.apiVersion", "involvedObject.resourceVersion",
                        "involvedObject.fieldPath", "reason", "reportingComponent", "source", "type")).build());
        // apps/v1
        t.add(of("apps", "v1", "Deployment", "deployments", true).shortNames("deploy").categories("all").status().scale().build());
        t.add(of("apps", "v1", "ReplicaSet", "replicasets", true).shortNames("rs").categories("all").status().scale().build());
        t.add(of("apps", "v1", "StatefulSet", "statefulsets", true).shortNames("sts").categories("all").status().scale().build());
        t.add(of("apps", "v1", "DaemonSet", "daemonsets", true).shortNames("ds").categories("all").status().build());
        t.add(of("apps", "v1", "ControllerRevision", "controllerrevisions", true).build());
        // batch/v1
        t.add(of("batch", "v1", "Job", "jobs", true).categories("all").status().fields(fields("status.successful")).build());
        t.add(of("batch", "v1", "CronJob", "cronjobs", true).shortNames("cj").categories("all").status().build());
        // others
        t.add(of("coordination.k8s.io", "v1", "Lease", "leases", true).createOnUpdate().build());
        t.add(of("discovery.k8s.io", "v1", "EndpointSlice", "endpointslices", true).createOnUpdate()
                .fields(fields("addressType")).build());
        t.add(of("events.k8s.io", "v1", "Event", "events", true).shortNames("ev").createOnUpdate()
                .fields(fields("regarding.kind", "regarding.namespace", "regarding.name", "regarding.uid",
                        "reason", "reportingController", "type")).build());
        t.add(of("policy", "v1", "PodDisruptionBudget", "poddisruptionbudgets", true).shortNames("pdb").status().build());
        // not stored: served from the nodes' stats summaries (tunnel/ResourceMetrics)
        t.add(of("metrics.k8s.io", "v1beta1", "NodeMetrics", "nodes", false).verbs("get", "list").build());
        t.add(of("metrics.k8s.io", "v1beta1", "PodMetrics", "pods", true).verbs("get", "list").build());
        for (String[] rbac : new String[][]{{"Role", "roles", "true"}, {"RoleBinding", "rolebindings", "true"},
                {"ClusterRole", "clusterroles", "false"}, {"ClusterRoleBinding", "clusterrolebindings", "false"}}) {
            t.add(of("rbac.authorization.k8s.io", "v1", rbac[0], rbac[1], Boolean.parseBoolean(rbac[2]))
                    .createOnUpdate().build());
        }
        t.add(of("certificates.k8s.io", "v1", "CertificateSigningRequest", "certificatesigningrequests", false)
                .shortNames("csr").status().sub("approval").fields(fields("spec.signerName")).build());
        t.add(of("apiextensions.k8s.io", "v1", "CustomResourceDefinition", "customresourcedefinitions", false)
                .shortNames("crd", "crds").categories("api-extensions").status()
                .strategy(b -> new CrdStrategy(b.generic(), java.time.Clock.systemUTC())).build());
        t.add(of("authorization.k8s.io", "v1", "SelfSubjectAccessReview", "selfsubjectaccessreviews", false)
                .verbs("create").build());
        t.add(of("authorization.k8s.io", "v1", "SelfSubjectRulesReview", "selfsubjectrulesreviews", false)
                .verbs("create").build());
        t.add(of("authorization.k8s.io", "v1", "SubjectAccessReview", "subjectaccessreviews", false)
                .verbs("create").build());
        t.add(of("authorization.k8s.io", "v1", "LocalSubjectAccessReview", "localsubjectaccessreviews", true)
                .verbs("create").build());
        t.add(of("authentication.k8s.io", "v1", "SelfSubjectReview", "selfsubjectreviews", false)
                .verbs("create").build());
        t.add(of("authentication.k8s.io", "v1", "TokenReview", "tokenreviews", false).verbs("create").build());
        // kedge's own API
        t.add(of("edge.kedge.io", "v1alpha1", "EdgeUnit", "edgeunits", false).shortNames("eu").status()
                .strategy(b -> b.withSchema("EdgeUnit")).build());
        t.add(of("edge.kedge.io", "v1alpha1", "UnitDeployment", "unitdeployments", true).shortNames("ud")
                .status().strategy(b -> b.withSchema("UnitDeployment")).build());
        return t;
    }

    /** Field extractors for dotted paths; booleans and numbers compare as their JSON text. */
    static Map<String, Function<JsonNode, String>> fields(String... paths) {
        Map<String, Function<JsonNode, String>> m = new LinkedHashMap<>();
        for (String p : paths) {
            String[] parts = p.split("\\.");
            m.put(p, obj -> {
                JsonNode n = obj;
                for (String part : parts) {
                    n = n == null ? null : n.get(part);
                }
                return n == null || n.isNull() ? "" : n.asText();
            });
        }
        return m;
    }

    static Builder of(String group, String version, String kind, String plural, boolean namespaced) {
        return new Builder(group, version, kind, plural, namespaced);
    }

    static final class Builder {
        private final String group, version, kind, plural;
        private final boolean namespaced;
        private List<String> shortNames = List.of();
        private List<String> categories = List.of();
        private List<String> verbs = ResourceType.ALL_VERBS;
        private final Set<String> subresources = new java.util.LinkedHashSet<>();
        private ResourceType.ScalePaths scale;
        private boolean status;
        private boolean createOnUpdate;
        private Map<String, Function<JsonNode, String>> fields = Map.of();
        private Function<Builder, Strategy> strategy = Builder::generic;

        Builder(String group, String version, String kind, String plural, boolean namespaced) {
            this.group = group;
            this.version = version;
            this.kind = kind;
            this.plural = plural;
            this.namespaced = namespaced;
        }

        Builder shortNames(String... s) { shortNames = List.of(s); return this; }
        Builder categories(String... c) { categories = List.of(c); return this; }
        Builder verbs(String... v) { verbs = List.of(v); return this; }
        Builder status() { status = true; subresources.add("status"); return this; }
        Builder scale() { scale = REPLICAS_SCALE; subresources.add("scale"); return this; }
        Builder sub(String... s) { subresources.addAll(List.of(s)); return this; }
        Builder createOnUpdate() { createOnUpdate = true; return this; }
        Builder fields(Map<String, Function<JsonNode, String>> f) { fields = f; return this; }
        Builder strategy(Function<Builder, Strategy> s) { strategy = s; return this; }

        GenericStrategy generic() {
            return new GenericStrategy(BuiltinStrategies.defaulter(group, kind),
                    BuiltinStrategies.validator(group, kind, namespaced), status,
                    TablePrinters.forResource(group, plural), fields, createOnUpdate,
                    BuiltinStrategies.createPreparer(group, kind), BuiltinStrategies.updatePreparer(group, kind));
        }

        /** kedge's own kinds: checked against the schema they publish, like a CRD. */
        Strategy withSchema(String kindName) {
            try (var in = BuiltinTypes.class.getResourceAsStream("/io/kedge/apiserver/schemas/" + kindName + ".json")) {
                JsonNode schema = io.kedge.api.Json.MAPPER.readTree(in);
                return new CustomResourceStrategy(plural + "." + group, schema,
                        BuiltinStrategies.validator(group, kind, namespaced), status,
                        TablePrinters.forResource(group, plural), BuiltinStrategies.defaulter(group, kind));
            } catch (java.io.IOException | NullPointerException e) {
                throw new IllegalStateException("the bundled schema of " + kindName + " is missing or broken", e);
            }
        }

        ResourceType build() {
            return new ResourceType(group, version, kind, plural, kind.toLowerCase(java.util.Locale.ROOT), namespaced,
                    shortNames, categories, verbs, Set.copyOf(subresources), scale, strategy.apply(this), false);
        }
    }
}
