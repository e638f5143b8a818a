package io.kedge.api.validation.builtin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kedge.api.validation.KindRules;
import io.kedge.api.validation.KindStrategy;
import io.kedge.api.validation.Nodes;
import java.util.HashMap;
import java.util.Map;

/** The strategy of every built-in kind kedge serves, by group and kind. */
public final class BuiltinKinds {
    private static final Map<String, KindStrategy> KINDS = build();

    private BuiltinKinds() {}

    /** The kind's strategy; {@link KindStrategy#PLAIN} for kinds without rules of their own. */
    public static KindStrategy lookup(String group, String kind) {
        return KINDS.getOrDefault(key(group, kind), KindStrategy.PLAIN);
    }

    private static Map<String, KindStrategy> build() {
        Map<String, KindStrategy> m = new HashMap<>();
        m.put(key("", "Pod"), KindStrategy.of(PodDefaults::apply, new PodRules())
                .withCreatePreparer(BuiltinKinds::preparePod));
        m.put(key("", "PodTemplate"), KindStrategy.of(StorageDefaults::podTemplate, KindRules.NONE));
        m.put(key("", "Service"), KindStrategy.of(ServiceDefaults::apply, new ServiceRules())
                .withUpdatePreparer(ServiceDefaults::keepAllocated));
        m.put(key("", "ConfigMap"), KindStrategy.of(o -> { }, new ConfigMapRules()));
        m.put(key("", "Secret"), KindStrategy.of(SecretRules::defaults, new SecretRules()));
        m.put(key("", "Namespace"), KindStrategy.of(NamespaceRules::defaults, new NamespaceRules())
                .withCreatePreparer(NamespaceRules::prepareForCreate)
                .withUpdatePreparer(NamespaceRules::keepFinalizers));
        m.put(key("", "Node"), KindStrategy.of(StorageDefaults::node, new NodeRules()));
        m.put(key("", "Endpoints"), KindStrategy.of(EndpointsRules::defaults, new EndpointsRules()));
        m.put(key("", "Event"), KindStrategy.of(o -> { }, EventRules.core()));
        m.put(key("", "PersistentVolumeClaim"), KindStrategy.of(StorageDefaults::persistentVolumeClaim, KindRules.NONE));
        m.put(key("", "PersistentVolume"), KindStrategy.of(StorageDefaults::persistentVolume, KindRules.NONE));

        m.put(key("apps", "Deployment"), KindStrategy.of(WorkloadDefaults::deployment, new DeploymentRules()));
        m.put(key("apps", "ReplicaSet"), KindStrategy.of(WorkloadDefaults::replicaSet, new ReplicaSetRules()));
        m.put(key("apps", "StatefulSet"), KindStrategy.of(WorkloadDefaults::statefulSet, new StatefulSetRules()));
        m.put(key("apps", "DaemonSet"), KindStrategy.of(WorkloadDefaults::daemonSet, new DaemonSetRules()));
        m.put(key("batch", "Job"), KindStrategy.of(WorkloadDefaults::job, new JobRules())
                .withCreatePreparer(JobRules::generateSelector));
        m.put(key("batch", "CronJob"), KindStrategy.of(WorkloadDefaults::cronJob, new CronJobRules()));

        m.put(key("coordination.k8s.io", "Lease"), KindStrategy.of(o -> { }, new LeaseRules()));
        m.put(key("discovery.k8s.io", "EndpointSlice"),
                KindStrategy.of(EndpointSliceRules::defaults, new EndpointSliceRules()));
        m.put(key("events.k8s.io", "Event"), KindStrategy.of(o -> { }, EventRules.eventsGroup()));
        m.put(key("policy", "PodDisruptionBudget"), KindStrategy.of(o -> { }, new PodDisruptionBudgetRules()));
        m.put(key(RbacRules.GROUP, "Role"), KindStrategy.of(o -> { }, RbacRules.role(true)));
        m.put(key(RbacRules.GROUP, "ClusterRole"), KindStrategy.of(o -> { }, RbacRules.role(false)));
        m.put(key(RbacRules.GROUP, "RoleBinding"), KindStrategy.of(RbacRules::bindingDefaults, RbacRules.binding(true)));
        m.put(key(RbacRules.GROUP, "ClusterRoleBinding"),
                KindStrategy.of(RbacRules::bindingDefaults, RbacRules.binding(false)));
        m.put(key("certificates.k8s.io", "CertificateSigningRequest"),
                KindStrategy.of(o -> { }, new CertificateSigningRequestRules())
                        .withUpdatePreparer(BuiltinKinds::keepSpec));
        m.put(key("apiextensions.k8s.io", "CustomResourceDefinition"),
                KindStrategy.of(CustomResourceDefinitionRules::defaults, new CustomResourceDefinitionRules()));

        m.put(key("edge.kedge.io", "EdgeUnit"), KindStrategy.of(EdgeUnitRules::defaults, new EdgeUnitRules()));
        m.put(key("edge.kedge.io", "UnitDeployment"),
                KindStrategy.of(UnitDeploymentRules::defaults, new UnitDeploymentRules()));
        return Map.copyOf(m);
    }

    /** A new pod starts Pending, with the QoS class its resources give it. */
    private static void preparePod(ObjectNode pod) {
        ObjectNode status = pod.putObject("status");
        status.put("phase", "Pending");
        ObjectNode spec = Nodes.object(pod, "spec");
        if (spec != null) {
            status.put("qosClass", PodQos.classOf(spec));
        }
    }

    /** A signing request is immutable once made; updates through the main resource keep the stored spec. */
    private static void keepSpec(ObjectNode object, ObjectNode old) {
        if (old.get("spec") != null) {
            object.set("spec", old.get("spec").deepCopy());
        }
    }

    private static String key(String group, String kind) {
        return (group == null ? "" : group) + "/" + kind;
    }
}
