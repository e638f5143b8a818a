package io.kedge.bench;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraintBuilder;
import java.util.Map;
import java.util.UUID;

/**
 * Unbound pods shaped like a Deployment's (resource requests and the default tolerations admission
 * adds), and nodes shaped like the ones HollowNodes registers, for the scheduler benchmarks.
 */
final class SchedulablePods {
    static final String HOSTNAME = "kubernetes.io/hostname";

    private SchedulablePods() {}

    /** What the pods ask of the scheduler beyond their requests. */
    enum Shape {
        REQUESTS("cpu and memory requests, default tolerations"),
        SPREAD("the same + a topologySpreadConstraint over kubernetes.io/hostname (maxSkew 1, DoNotSchedule)");

        final String description;

        Shape(String description) {
            this.description = description;
        }
    }

    /** The pod spec a Deployment of this shape would stamp out, labelled {@code app}. */
    static PodSpec spec(String app, Shape shape) {
        PodSpecBuilder b = new PodSpecBuilder()
                .addNewContainer().withName("app").withImage("registry.example.internal/shop/web:1")
                .withNewResources().withRequests(Map.of("cpu", new Quantity("100m"), "memory", new Quantity("128Mi")))
                .endResources().endContainer()
                .addNewToleration().withKey("node.kubernetes.io/not-ready").withOperator("Exists").withEffect("NoExecute")
                .withTolerationSeconds(300L).endToleration()
                .addNewToleration().withKey("node.kubernetes.io/unreachable").withOperator("Exists").withEffect("NoExecute")
                .withTolerationSeconds(300L).endToleration();
        if (shape == Shape.SPREAD) {
            b.withTopologySpreadConstraints(new TopologySpreadConstraintBuilder().withMaxSkew(1).withTopologyKey(HOSTNAME)
                    .withWhenUnsatisfiable("DoNotSchedule").withNewLabelSelector().addToMatchLabels("app", app)
                    .endLabelSelector().build());
        }
        return b.build();
    }

    /** An unbound pod, with a uid as the API server would have given it. */
    static Pod pod(String namespace, String app, int index, Shape shape) {
        return new PodBuilder().withNewMetadata().withName(app + "-" + index).withNamespace(namespace)
                .withUid(UUID.randomUUID().toString()).addToLabels("app", app).endMetadata()
                .withSpec(spec(app, shape)).build();
    }

    /** A node as HollowNodes.Spec.of registers it: 4 CPUs, 8 GiB, 110 pods, hostname/os/arch labels, Ready. */
    static Node node(String name) {
        Map<String, Quantity> capacity = Map.of("cpu", new Quantity("4"), "memory", new Quantity("8Gi"),
                "pods", new Quantity("110"), "ephemeral-storage", new Quantity("100Gi"));
        return new NodeBuilder().withNewMetadata().withName(name)
                .withLabels(Map.of(HOSTNAME, name, "kubernetes.io/os", "linux", "kubernetes.io/arch", "amd64")).endMetadata()
                .withNewSpec().endSpec()
                .withNewStatus().withCapacity(capacity).withAllocatable(capacity)
                .addNewCondition().withType("Ready").withStatus("True").endCondition().endStatus().build();
    }
}
