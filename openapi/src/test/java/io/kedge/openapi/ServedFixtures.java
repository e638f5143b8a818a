package io.kedge.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;

/** Resources shaped like the ones the kedge server serves. */
final class ServedFixtures {
    static final List<String> ALL_VERBS =
            List.of("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch");

    private ServedFixtures() {}

    static List<ServedResource> servedByKedge() {
        List<ServedResource> r = new ArrayList<>();
        r.add(builtin("", "v1", "Namespace", "namespaces", false, "status", "finalize"));
        r.add(builtin("", "v1", "Node", "nodes", false, "status"));
        r.add(builtin("", "v1", "Pod", "pods", true, "status", "binding", "eviction", "log", "exec", "attach",
                "portforward"));
        r.add(builtin("", "v1", "Service", "services", true, "status"));
        r.add(builtin("", "v1", "Endpoints", "endpoints", true));
        r.add(builtin("", "v1", "ConfigMap", "configmaps", true));
        r.add(builtin("", "v1", "Secret", "secrets", true));
        r.add(builtin("", "v1", "ServiceAccount", "serviceaccounts", true));
        r.add(builtin("", "v1", "Event", "events", true));
        r.add(builtin("apps", "v1", "Deployment", "deployments", true, "status", "scale"));
        r.add(builtin("apps", "v1", "ReplicaSet", "replicasets", true, "status", "scale"));
        r.add(builtin("apps", "v1", "StatefulSet", "statefulsets", true, "status", "scale"));
        r.add(builtin("apps", "v1", "DaemonSet", "daemonsets", true, "status"));
        r.add(builtin("apps", "v1", "ControllerRevision", "controllerrevisions", true));
        r.add(builtin("batch", "v1", "Job", "jobs", true, "status"));
        r.add(builtin("batch", "v1", "CronJob", "cronjobs", true, "status"));
        r.add(builtin("coordination.k8s.io", "v1", "Lease", "leases", true));
        r.add(builtin("discovery.k8s.io", "v1", "EndpointSlice", "endpointslices", true));
        r.add(builtin("events.k8s.io", "v1", "Event", "events", true));
        r.add(builtin("policy", "v1", "PodDisruptionBudget", "poddisruptionbudgets", true, "status"));
        r.add(builtin("rbac.authorization.k8s.io", "v1", "Role", "roles", true));
        r.add(builtin("rbac.authorization.k8s.io", "v1", "RoleBinding", "rolebindings", true));
        r.add(builtin("rbac.authorization.k8s.io", "v1", "ClusterRole", "clusterroles", false));
        r.add(builtin("rbac.authorization.k8s.io", "v1", "ClusterRoleBinding", "clusterrolebindings", false));
        r.add(builtin("certificates.k8s.io", "v1", "CertificateSigningRequest", "certificatesigningrequests", false,
                "status", "approval"));
        r.add(builtin("apiextensions.k8s.io", "v1", "CustomResourceDefinition", "customresourcedefinitions", false,
                "status"));
        r.add(new ServedResource("authorization.k8s.io", "v1", "SelfSubjectAccessReview", "selfsubjectaccessreviews",
                false, List.of("create"), List.of(), null));
        r.add(new ServedResource("authentication.k8s.io", "v1", "SelfSubjectReview", "selfsubjectreviews",
                false, List.of("create"), List.of(), null));
        r.add(new ServedResource("edge.kedge.io", "v1alpha1", "EdgeUnit", "edgeunits", false, ALL_VERBS,
                List.of("status"), json(EDGE_UNIT_SCHEMA)));
        r.add(new ServedResource("stable.example.com", "v1", "CronTab", "crontabs", true, ALL_VERBS,
                List.of(), json(CRON_TAB_SCHEMA)));
        return r;
    }

    static ServedResource builtin(String group, String version, String kind, String plural, boolean namespaced,
                                  String... subresources) {
        return ServedResource.builtin(group, version, kind, plural, namespaced, ALL_VERBS, List.of(subresources));
    }

    static JsonNode json(String text) {
        try {
            return new ObjectMapper().readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    static final String EDGE_UNIT_SCHEMA = """
            {"type": "object", "properties": {
              "spec": {"type": "object", "properties": {
                "type": {"type": "string", "enum": ["Edge", "Cloud"]},
                "labels": {"type": "object", "additionalProperties": {"type": "string"}},
                "taints": {"type": "array", "items": {"type": "object", "properties": {
                  "key": {"type": "string"}, "value": {"type": "string"}, "effect": {"type": "string"}},
                  "required": ["key", "effect"]}},
                "autonomy": {"type": "string"}}},
              "status": {"type": "object", "properties": {
                "nodes": {"type": "array", "items": {"type": "string"}},
                "readyNodes": {"type": "integer", "format": "int32"},
                "conditions": {"type": "array", "items": {"type": "object",
                  "x-kubernetes-preserve-unknown-fields": true}}}}}}
            """;

    static final String CRON_TAB_SCHEMA = """
            {"type": "object", "properties": {
              "spec": {"type": "object", "properties": {
                "cronSpec": {"type": "string", "description": "When to run."},
                "image": {"type": "string"},
                "replicas": {"type": "integer", "minimum": 1, "maximum": 10},
                "port": {"x-kubernetes-int-or-string": true,
                         "anyOf": [{"type": "integer"}, {"type": "string"}]},
                "extra": {"type": "object", "x-kubernetes-preserve-unknown-fields": true},
                "note": {"type": "string", "nullable": true}}}}}
            """;
}
