package io.kedge.controllers.workloads;

import static io.kedge.controllers.workloads.RolloutMathTest.rolling;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScalerTest {
    private static ReplicaSet sized(String name, int replicas, int maxReplicasWhenScaled, String created) {
        ReplicaSet rs = RolloutMathTest.rs(name, replicas);
        rs.getMetadata().setCreationTimestamp(created);
        Revisions.setReplicasAnnotations(rs, maxReplicasWhenScaled - 1, maxReplicasWhenScaled);
        return rs;
    }

    @Test
    void midRolloutEachReplicaSetTakesItsShareOfANewSize() {
        // 10 replicas + 1 surge = 11, split 6 old / 5 new; the Deployment goes to 20 (+1 surge = 21)
        Deployment d = rolling(20, new IntOrString(1), new IntOrString(0));
        ReplicaSet old = sized("old", 6, 11, "2030-01-01T00:00:00Z");
        ReplicaSet fresh = sized("new", 5, 11, "2030-01-01T01:00:00Z");
        int toAdd = 21 - 11;
        int oldShare = Scaler.proportion(d, old, toAdd, 0);
        int newShare = Scaler.proportion(d, fresh, toAdd, oldShare);
        assertThat(oldShare).isEqualTo(5);
        assertThat(newShare).isEqualTo(5);
    }

    @Test
    void scalingToZeroTakesEverything() {
        Deployment d = rolling(0, new IntOrString(1), new IntOrString(0));
        ReplicaSet rs = sized("old", 4, 5, "2030-01-01T00:00:00Z");
        assertThat(Scaler.proportion(d, rs, -4, 0)).isEqualTo(-4);
    }

    @Test
    void theOnlyReplicaSetWithPodsOrElseTheNewestTakesAResize() {
        ReplicaSet older = sized("older", 0, 4, "2030-01-01T00:00:00Z");
        ReplicaSet newer = sized("newer", 0, 4, "2030-01-01T01:00:00Z");
        assertThat(Scaler.activeOrLatest(null, List.of(newer, older))).isSameAs(newer);
        ReplicaSet active = sized("active", 3, 4, "2030-01-01T00:00:00Z");
        assertThat(Scaler.activeOrLatest(newer, List.of(active))).isSameAs(active);
        assertThat(Scaler.activeOrLatest(sized("n", 1, 4, "2030-01-01T02:00:00Z"), List.of(active))).isNull();
    }
}
