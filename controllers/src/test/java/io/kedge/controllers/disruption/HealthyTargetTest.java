package io.kedge.controllers.disruption;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetSpec;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetSpecBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HealthyTargetTest {
    private final Map<String, Deployment> deployments = Map.of("ns/web", new DeploymentBuilder().withNewMetadata().withName("web")
            .withUid("d1").endMetadata().withNewSpec().withReplicas(4).endSpec().build());
    private final Map<String, ReplicaSet> replicaSets = Map.of(
            "ns/web-old", replicaSet("web-old", "rs-old", 1, true),
            "ns/web-new", replicaSet("web-new", "rs-new", 3, true),
            "ns/solo", replicaSet("solo", "rs-solo", 5, false));
    private final Map<String, StatefulSet> statefulSets = Map.of("ns/db", new StatefulSetBuilder().withNewMetadata().withName("db")
            .withUid("s1").endMetadata().withNewSpec().withReplicas(3).endSpec().build());
    private final ExpectedScale scales = new ExpectedScale(new ExpectedScale.Lookup() {
        @Override public Deployment deployment(String key) { return deployments.get(key); }
        @Override public ReplicaSet replicaSet(String key) { return replicaSets.get(key); }
        @Override public StatefulSet statefulSet(String key) { return statefulSets.get(key); }
    });

    private static ReplicaSet replicaSet(String name, String uid, int replicas, boolean ofDeployment) {
        var b = new ReplicaSetBuilder().withNewMetadata().withName(name).withUid(uid);
        if (ofDeployment) {
            b.addToOwnerReferences(new OwnerReferenceBuilder().withApiVersion("apps/v1").withKind("Deployment").withName("web")
                    .withUid("d1").withController(true).build());
        }
        return b.endMetadata().withNewSpec().withReplicas(replicas).endSpec().build();
    }

    private static PodDisruptionBudgetSpec minAvailable(IntOrString v) {
        return new PodDisruptionBudgetSpecBuilder().withMinAvailable(v).build();
    }

    private static PodDisruptionBudgetSpec maxUnavailable(IntOrString v) {
        return new PodDisruptionBudgetSpecBuilder().withMaxUnavailable(v).build();
    }

    @Test
    void anAbsoluteMinAvailableExpectsThePodsThereAreWithoutAskingTheirControllers() {
        List<Pod> pods = List.of(Pods.unowned("a"), Pods.ownedBy("b", "Job", "j", "j1", true));

        HealthyTarget t = HealthyTarget.of(minAvailable(new IntOrString(2)), pods, scales);

        assertThat(t.expectedPods()).isEqualTo(2);
        assertThat(t.desiredHealthy()).isEqualTo(2);
    }

    @Test
    void aDeploymentsPodsAcrossItsReplicaSetsAreExpectedAtTheDeploymentsScaleOnce() {
        List<Pod> pods = List.of(Pods.ownedBy("a", "ReplicaSet", "web-old", "rs-old", true),
                Pods.ownedBy("b", "ReplicaSet", "web-new", "rs-new", true),
                Pods.ownedBy("c", "ReplicaSet", "web-new", "rs-new", true));

        HealthyTarget t = HealthyTarget.of(maxUnavailable(new IntOrString(1)), pods, scales);

        assertThat(t.expectedPods()).isEqualTo(4);
        assertThat(t.desiredHealthy()).isEqualTo(3);
    }

    @Test
    void percentagesAreTakenOfTheControllersScaleRoundingUp() {
        List<Pod> pods = List.of(Pods.ownedBy("db-0", "StatefulSet", "db", "s1", true));

        HealthyTarget min = HealthyTarget.of(minAvailable(new IntOrString("50%")), pods, scales);
        HealthyTarget max = HealthyTarget.of(maxUnavailable(new IntOrString("50%")), pods, scales);

        assertThat(min.expectedPods()).isEqualTo(3);
        assertThat(min.desiredHealthy()).as("ceil(1.5)").isEqualTo(2);
        assertThat(max.desiredHealthy()).as("3 - ceil(1.5)").isEqualTo(1);
    }

    @Test
    void aReplicaSetWithoutADeploymentIsExpectedAtItsOwnScaleAndUnownedPodsAreReported() {
        List<Pod> pods = List.of(Pods.ownedBy("a", "ReplicaSet", "solo", "rs-solo", true), Pods.unowned("stray"));

        HealthyTarget t = HealthyTarget.of(maxUnavailable(new IntOrString(7)), pods, scales);

        assertThat(t.expectedPods()).isEqualTo(5);
        assertThat(t.desiredHealthy()).as("never below zero").isZero();
        assertThat(t.unmanagedPods()).containsExactly("stray");
    }

    @Test
    void aPodWhoseControllerHasNoKnownScaleFailsNamingThePod() {
        List<Pod> pods = List.of(Pods.ownedBy("worker", "Job", "j", "j1", true));

        assertThatThrownBy(() -> HealthyTarget.of(maxUnavailable(new IntOrString(1)), pods, scales))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("\"worker\"");
    }

    @Test
    void aReplicaSetOfADifferentIncarnationIsNotTaken() {
        List<Pod> pods = List.of(Pods.ownedBy("a", "ReplicaSet", "solo", "some-older-uid", true));

        assertThatThrownBy(() -> HealthyTarget.of(minAvailable(new IntOrString("10%")), pods, scales))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("found no controllers");
    }

    @Test
    void aValueThatIsNeitherANumberNorAPercentageIsNamedInTheError() {
        assertThatThrownBy(() -> HealthyTarget.of(maxUnavailable(new IntOrString("many")), List.of(), scales))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxUnavailable").hasMessageContaining("many");
    }
}
