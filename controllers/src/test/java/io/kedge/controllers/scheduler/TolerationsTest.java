package io.kedge.controllers.scheduler;

import static io.kedge.controllers.scheduler.Fixtures.taint;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

class TolerationsTest {
    @Test
    void anEmptyKeyWithExistsToleratesEveryTaint() {
        Toleration all = new TolerationBuilder().withOperator("Exists").build();
        assertThat(Tolerations.tolerates(all, taint("anything", "v", "NoExecute"))).isTrue();
    }

    @Test
    void equalComparesValuesAndAnEmptyEffectMatchesEveryEffect() {
        Toleration t = new TolerationBuilder().withKey("dedicated").withValue("edge").build();
        assertThat(Tolerations.tolerates(t, taint("dedicated", "edge", "NoSchedule"))).isTrue();
        assertThat(Tolerations.tolerates(t, taint("dedicated", "cloud", "NoSchedule"))).isFalse();
        Toleration onlyNoSchedule = new TolerationBuilder().withKey("dedicated").withOperator("Exists").withEffect("NoSchedule").build();
        assertThat(Tolerations.tolerates(onlyNoSchedule, taint("dedicated", "edge", "NoExecute"))).isFalse();
    }

    @Test
    void preferNoScheduleTaintsNeverBlockAndCountOnlyWhenUncovered() {
        var taints = List.of(taint("spot", "", "PreferNoSchedule"), taint("gpu", "", "PreferNoSchedule"));
        assertThat(Tolerations.firstUntolerated(taints, List.of())).isNull();
        assertThat(Tolerations.intolerablePreferNoSchedule(taints, List.of(new TolerationBuilder().withKey("spot")
                .withOperator("Exists").build()))).isEqualTo(1);
        assertThat(Tolerations.intolerablePreferNoSchedule(taints, List.of(new TolerationBuilder().withKey("spot")
                .withOperator("Exists").withEffect("NoSchedule").build()))).isEqualTo(2);
    }
}
