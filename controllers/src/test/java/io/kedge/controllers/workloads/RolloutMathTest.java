package io.kedge.controllers.workloads;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

class RolloutMathTest {
    static Deployment rolling(int replicas, IntOrString surge, IntOrString unavailable) {
        return new DeploymentBuilder().withNewMetadata().withName("d").withNamespace("ns").endMetadata()
                .withNewSpec().withReplicas(replicas).withNewStrategy().withType("RollingUpdate").withNewRollingUpdate()
                .withMaxSurge(surge).withMaxUnavailable(unavailable).endRollingUpdate().endStrategy().endSpec().build();
    }

    static ReplicaSet rs(String name, int replicas) {
        return new ReplicaSetBuilder().withNewMetadata().withName(name).withUid(name).endMetadata()
                .withNewSpec().withReplicas(replicas).endSpec().build();
    }

    @Test
    void surgePercentageRoundsUpAndUnavailablePercentageRoundsDown() {
        Deployment d = rolling(10, new IntOrString("25%"), new IntOrString("25%"));
        assertThat(RolloutMath.maxSurge(d)).isEqualTo(3);
        assertThat(RolloutMath.maxUnavailable(d)).isEqualTo(2);
    }

    @Test
    void absoluteNumbersAreTakenAsTheyAre() {
        Deployment d = rolling(10, new IntOrString(4), new IntOrString(1));
        assertThat(RolloutMath.maxSurge(d)).isEqualTo(4);
        assertThat(RolloutMath.maxUnavailable(d)).isEqualTo(1);
    }

    @Test
    void bothRoundingToZeroLeavesOnePodUnavailableSoTheRolloutCanMove() {
        Deployment d = rolling(1, new IntOrString(0), new IntOrString("10%"));
        assertThat(RolloutMath.maxSurge(d)).isZero();
        assertThat(RolloutMath.maxUnavailable(d)).isEqualTo(1);
    }

    @Test
    void missingRollingUpdateParametersDefaultToTwentyFivePercent() {
        Deployment d = new DeploymentBuilder().withNewSpec().withReplicas(4).endSpec().build();
        assertThat(RolloutMath.maxSurge(d)).isEqualTo(1);
        assertThat(RolloutMath.maxUnavailable(d)).isEqualTo(1);
    }

    @Test
    void recreateHasNoSurgeAndNoUnavailability() {
        Deployment d = new DeploymentBuilder().withNewSpec().withReplicas(4).withNewStrategy().withType("Recreate").endStrategy()
                .endSpec().build();
        assertThat(RolloutMath.maxSurge(d)).isZero();
        assertThat(RolloutMath.maxUnavailable(d)).isZero();
    }

    @Test
    void aValueThatIsNeitherNumberNorPercentageIsRejectedByName() {
        Deployment d = rolling(4, new IntOrString("lots"), new IntOrString(1));
        assertThatThrownBy(() -> RolloutMath.maxSurge(d)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("spec.strategy.rollingUpdate.maxSurge \"lots\" is neither an integer nor a percentage");
        Deployment bad = rolling(4, new IntOrString(1), new IntOrString("x%"));
        assertThatThrownBy(() -> RolloutMath.maxUnavailable(bad)).hasMessageContaining("maxUnavailable \"x%\" is not a valid percentage");
    }

    @Test
    void theNewReplicaSetGrowsOnlyUpToReplicasPlusSurge() {
        Deployment d = rolling(3, new IntOrString(1), new IntOrString(0));
        ReplicaSet old = rs("old", 3);
        ReplicaSet fresh = rs("new", 0);
        assertThat(RolloutMath.newReplicaSetReplicas(d, List.of(old, fresh), fresh)).isEqualTo(1);
        ReplicaSet grown = rs("new", 1);
        assertThat(RolloutMath.newReplicaSetReplicas(d, List.of(old, grown), grown)).isEqualTo(1);
        ReplicaSet shrunk = rs("old", 1);
        assertThat(RolloutMath.newReplicaSetReplicas(d, List.of(shrunk, grown), grown)).isEqualTo(3);
    }
}
