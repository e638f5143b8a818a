package io.kedge.api.patch;

import static io.kedge.api.patch.PatchStrategy.MERGE;
import static io.kedge.api.patch.PatchStrategy.MERGE_RETAIN_KEYS;
import static io.kedge.api.patch.PatchStrategy.REPLACE;
import static io.kedge.api.patch.PatchStrategy.RETAIN_KEYS;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The strategic-merge facts of the built-in kinds, kept in one table so the patch code and the OpenAPI documents
 * ({@code x-kubernetes-patch-merge-key}, {@code x-kubernetes-patch-strategy}) cannot disagree. Types are named as
 * in the Kubernetes OpenAPI definitions. Fields not listed are patched the default way: maps merge, lists are
 * replaced (tolerations, taints, envFrom, capabilities, ...).
 */
public final class BuiltinPatchSchemas {

    private static final String META = "io.k8s.apimachinery.pkg.apis.meta.v1.";
    private static final String OBJECT_META = META + "ObjectMeta";
    /** The type a kind without facts of its own is read as: only its metadata is known. */
    private static final String PARTIAL_OBJECT = META + "PartialObjectMetadata";

    private static final List<PatchFact> FACTS = new ArrayList<>();
    private static final List<FieldType> FIELD_TYPES = new ArrayList<>();
    private static final Map<String, String> KIND_TYPES = new LinkedHashMap<>();

    static {
        declareObjectMeta();
        declareCore();
        declareApps();
        declareBatch();
        declareOtherGroups();
        FIELD_TYPES.add(new FieldType(PARTIAL_OBJECT, "metadata", OBJECT_META));
    }

    private static final TypedPatchSchema.Graph GRAPH = new TypedPatchSchema.Graph(FACTS, FIELD_TYPES);

    private BuiltinPatchSchemas() {}

    private static void declareObjectMeta() {
        fact(OBJECT_META, "finalizers", MERGE, null);
        fact(OBJECT_META, "ownerReferences", MERGE, "uid");
    }

    private static void declareCore() {
        String v1 = "io.k8s.api.core.v1.";
        String podSpec = v1 + "PodSpec";
        String podTemplateSpec = v1 + "PodTemplateSpec";

        kind("v1", "Pod", v1 + "Pod");
        field(v1 + "Pod", "spec", podSpec);
        field(v1 + "Pod", "status", v1 + "PodStatus");
        field(podTemplateSpec, "metadata", OBJECT_META);
        field(podTemplateSpec, "spec", podSpec);

        fact(podSpec, "volumes", MERGE_RETAIN_KEYS, "name");
        fact(podSpec, "initContainers", MERGE, "name");
        fact(podSpec, "containers", MERGE, "name");
        fact(podSpec, "ephemeralContainers", MERGE, "name");
        fact(podSpec, "imagePullSecrets", MERGE, "name");
        fact(podSpec, "hostAliases", MERGE, "ip");
        fact(podSpec, "topologySpreadConstraints", MERGE, "topologyKey");
        fact(podSpec, "schedulingGates", MERGE, "name");
        fact(podSpec, "resourceClaims", MERGE_RETAIN_KEYS, "name");
        field(podSpec, "initContainers", v1 + "Container");
        field(podSpec, "containers", v1 + "Container");
        field(podSpec, "ephemeralContainers", v1 + "EphemeralContainer");
        for (String container : List.of(v1 + "Container", v1 + "EphemeralContainer")) {
            fact(container, "ports", MERGE, "containerPort");
            fact(container, "env", MERGE, "name");
            fact(container, "volumeMounts", MERGE, "mountPath");
            fact(container, "volumeDevices", MERGE, "devicePath");
        }

        String podStatus = v1 + "PodStatus";
        fact(podStatus, "conditions", MERGE, "type");
        fact(podStatus, "podIPs", MERGE, "ip");
        fact(podStatus, "hostIPs", MERGE, "ip");
        fact(podStatus, "resourceClaimStatuses", MERGE_RETAIN_KEYS, "name");
        for (String statuses : List.of("containerStatuses", "initContainerStatuses", "ephemeralContainerStatuses")) {
            field(podStatus, statuses, v1 + "ContainerStatus");
        }
        fact(v1 + "ContainerStatus", "volumeMounts", MERGE, "mountPath");
        fact(v1 + "ContainerStatus", "allocatedResourcesStatus", MERGE, "name");

        kind("v1", "PodTemplate", v1 + "PodTemplate");
        field(v1 + "PodTemplate", "template", podTemplateSpec);

        kind("v1", "ReplicationController", v1 + "ReplicationController");
        specAndStatus(v1, "ReplicationController");
        field(v1 + "ReplicationControllerSpec", "template", podTemplateSpec);
        fact(v1 + "ReplicationControllerStatus", "conditions", MERGE, "type");

        kind("v1", "Service", v1 + "Service");
        specAndStatus(v1, "Service");
        fact(v1 + "ServiceSpec", "ports", MERGE, "port");
        fact(v1 + "ServiceStatus", "conditions", MERGE, "type");

        kind("v1", "ServiceAccount", v1 + "ServiceAccount");
        fact(v1 + "ServiceAccount", "secrets", MERGE, "name");

        kind("v1", "Node", v1 + "Node");
        specAndStatus(v1, "Node");
        fact(v1 + "NodeSpec", "podCIDRs", MERGE, null);
        fact(v1 + "NodeStatus", "conditions", MERGE, "type");
        fact(v1 + "NodeStatus", "addresses", MERGE, "type");

        kind("v1", "Namespace", v1 + "Namespace");
        specAndStatus(v1, "Namespace");
        fact(v1 + "NamespaceStatus", "conditions", MERGE, "type");

        kind("v1", "PersistentVolumeClaim", v1 + "PersistentVolumeClaim");
        specAndStatus(v1, "PersistentVolumeClaim");
        fact(v1 + "PersistentVolumeClaimStatus", "conditions", MERGE, "type");

        kind("v1", "ComponentStatus", v1 + "ComponentStatus");
        fact(v1 + "ComponentStatus", "conditions", MERGE, "type");

        for (String plain : List.of("ConfigMap", "Secret", "Endpoints", "Event", "LimitRange", "ResourceQuota",
                "PersistentVolume", "Binding")) {
            kind("v1", plain, v1 + plain);
        }
    }

    private static void declareApps() {
        String apps = "io.k8s.api.apps.v1.";
        String podTemplateSpec = "io.k8s.api.core.v1.PodTemplateSpec";
        for (String workload : List.of("Deployment", "ReplicaSet", "StatefulSet", "DaemonSet")) {
            kind("apps/v1", workload, apps + workload);
            specAndStatus(apps, workload);
            field(apps + workload + "Spec", "template", podTemplateSpec);
            fact(apps + workload + "Status", "conditions", MERGE, "type");
        }
        fact(apps + "DeploymentSpec", "strategy", RETAIN_KEYS, null);
        field(apps + "StatefulSetSpec", "volumeClaimTemplates", "io.k8s.api.core.v1.PersistentVolumeClaim");
        kind("apps/v1", "ControllerRevision", apps + "ControllerRevision");
    }

    private static void declareBatch() {
        String batch = "io.k8s.api.batch.v1.";
        kind("batch/v1", "Job", batch + "Job");
        specAndStatus(batch, "Job");
        field(batch + "JobSpec", "template", "io.k8s.api.core.v1.PodTemplateSpec");
        fact(batch + "JobStatus", "conditions", MERGE, "type");

        kind("batch/v1", "CronJob", batch + "CronJob");
        specAndStatus(batch, "CronJob");
        field(batch + "CronJobSpec", "jobTemplate", batch + "JobTemplateSpec");
        field(batch + "JobTemplateSpec", "metadata", OBJECT_META);
        field(batch + "JobTemplateSpec", "spec", batch + "JobSpec");
    }

    private static void declareOtherGroups() {
        String policy = "io.k8s.api.policy.v1.";
        kind("policy/v1", "PodDisruptionBudget", policy + "PodDisruptionBudget");
        specAndStatus(policy, "PodDisruptionBudget");
        fact(policy + "PodDisruptionBudgetSpec", "selector", REPLACE, null);
        fact(policy + "PodDisruptionBudgetStatus", "conditions", MERGE, "type");

        String autoscaling = "io.k8s.api.autoscaling.v2.";
        kind("autoscaling/v2", "HorizontalPodAutoscaler", autoscaling + "HorizontalPodAutoscaler");
        specAndStatus(autoscaling, "HorizontalPodAutoscaler");
        fact(autoscaling + "HorizontalPodAutoscalerStatus", "conditions", MERGE, "type");
        kind("autoscaling/v1", "HorizontalPodAutoscaler", "io.k8s.api.autoscaling.v1.HorizontalPodAutoscaler");

        String admission = "io.k8s.api.admissionregistration.v1.";
        for (String webhookKind : List.of("Validating", "Mutating")) {
            String configuration = admission + webhookKind + "WebhookConfiguration";
            kind("admissionregistration.k8s.io/v1", webhookKind + "WebhookConfiguration", configuration);
            fact(configuration, "webhooks", MERGE, "name");
            field(configuration, "webhooks", admission + webhookKind + "Webhook");
            fact(admission + webhookKind + "Webhook", "matchConditions", MERGE, "name");
        }

        String storage = "io.k8s.api.storage.v1.";
        kind("storage.k8s.io/v1", "CSINode", storage + "CSINode");
        field(storage + "CSINode", "spec", storage + "CSINodeSpec");
        fact(storage + "CSINodeSpec", "drivers", MERGE, "name");
        for (String plain : List.of("StorageClass", "CSIDriver", "VolumeAttachment")) {
            kind("storage.k8s.io/v1", plain, storage + plain);
        }

        plainKinds("networking.k8s.io/v1", "io.k8s.api.networking.v1.", "Ingress", "IngressClass", "NetworkPolicy");
        plainKinds("rbac.authorization.k8s.io/v1", "io.k8s.api.rbac.v1.",
                "Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding");
        plainKinds("coordination.k8s.io/v1", "io.k8s.api.coordination.v1.", "Lease");
        plainKinds("discovery.k8s.io/v1", "io.k8s.api.discovery.v1.", "EndpointSlice");
        plainKinds("scheduling.k8s.io/v1", "io.k8s.api.scheduling.v1.", "PriorityClass");
        plainKinds("certificates.k8s.io/v1", "io.k8s.api.certificates.v1.", "CertificateSigningRequest");
        plainKinds("events.k8s.io/v1", "io.k8s.api.events.v1.", "Event");
        plainKinds("node.k8s.io/v1", "io.k8s.api.node.v1.", "RuntimeClass");
        plainKinds("apiextensions.k8s.io/v1", "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.",
                "CustomResourceDefinition");
    }

    private static void fact(String type, String field, PatchStrategy strategy, String mergeKey) {
        FACTS.add(new PatchFact(type, field, strategy, mergeKey));
    }

    private static void field(String type, String field, String valueType) {
        FIELD_TYPES.add(new FieldType(type, field, valueType));
    }

    private static void kind(String apiVersion, String kind, String type) {
        KIND_TYPES.put(kindKey(apiVersion, kind), type);
        field(type, "metadata", OBJECT_META);
    }

    private static void plainKinds(String apiVersion, String typePrefix, String... kinds) {
        for (String kind : kinds) {
            kind(apiVersion, kind, typePrefix + kind);
        }
    }

    private static void specAndStatus(String typePrefix, String kind) {
        field(typePrefix + kind, "spec", typePrefix + kind + "Spec");
        field(typePrefix + kind, "status", typePrefix + kind + "Status");
    }

    private static String kindKey(String apiVersion, String kind) {
        return apiVersion + " " + kind;
    }

    /** Every declared strategy: the rows the OpenAPI documents turn into patch extensions. */
    public static List<PatchFact> facts() {
        return Collections.unmodifiableList(FACTS);
    }

    /** The same facts, per OpenAPI type and then per field. */
    public static Map<String, Map<String, FieldStrategy>> factsByType() {
        Map<String, Map<String, FieldStrategy>> byType = new LinkedHashMap<>();
        for (PatchFact fact : FACTS) {
            byType.computeIfAbsent(fact.type(), t -> new LinkedHashMap<>()).put(fact.field(), fact.fieldStrategy());
        }
        byType.replaceAll((type, fields) -> Collections.unmodifiableMap(fields));
        return Collections.unmodifiableMap(byType);
    }

    /** Which type each field leads to, from the kinds down to the types that carry facts. */
    public static List<FieldType> fieldTypes() {
        return Collections.unmodifiableList(FIELD_TYPES);
    }

    /** The OpenAPI type of a built-in kind, e.g. {@code io.k8s.api.apps.v1.Deployment} for apps/v1 Deployment. */
    public static Optional<String> typeOfKind(String apiVersion, String kind) {
        return Optional.ofNullable(KIND_TYPES.get(kindKey(apiVersion, kind)));
    }

    public static boolean isBuiltinKind(String apiVersion, String kind) {
        return KIND_TYPES.containsKey(kindKey(apiVersion, kind));
    }

    /**
     * The schema of a kind. A kind this table does not know gets a schema that knows only
     * {@code metadata} (finalizers, ownerReferences); everything else in it is patched the default way.
     */
    public static PatchSchema forKind(String apiVersion, String kind) {
        return GRAPH.schemaOf(KIND_TYPES.getOrDefault(kindKey(apiVersion, kind), PARTIAL_OBJECT));
    }

    /** The schema of an OpenAPI type, e.g. {@code io.k8s.api.core.v1.PodSpec}. */
    public static PatchSchema forType(String type) {
        return GRAPH.schemaOf(type);
    }
}
