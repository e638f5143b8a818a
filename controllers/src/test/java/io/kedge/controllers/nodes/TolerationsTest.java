package io.kedge.controllers.nodes;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

class TolerationsTest {
    private static final Taint GPU = new TaintBuilder().withKey("gpu").withValue("a100").withEffect("NoSchedule").build();
    private static final Taint DOWN = new TaintBuilder().withKey(NodeTaints.UNREACHABLE).withEffect("NoExecute").build();

    @Test
    void anEmptyKeyWithExistsToleratesEveryTaint() {
        Toleration all = new TolerationBuilder().withOperator("Exists").build();
        assertThat(Tolerations.tolerates(all, GPU)).isTrue();
        assertThat(Tolerations.tolerates(all, DOWN)).isTrue();
    }

    @Test
    void equalNeedsTheSameValueAndIsTheDefaultOperator() {
        assertThat(Tolerations.tolerates(new TolerationBuilder().withKey("gpu").withValue("a100").build(), GPU)).isTrue();
        assertThat(Tolerations.tolerates(new TolerationBuilder().withKey("gpu").withOperator("Equal").withValue("h100").build(), GPU)).isFalse();
        assertThat(Tolerations.tolerates(new TolerationBuilder().withKey("gpu").withOperator("Exists").build(), GPU)).isTrue();
    }

    @Test
    void aTolerationForOneEffectDoesNotCoverAnother() {
        Toleration noExecute = new TolerationBuilder().withKey("gpu").withOperator("Exists").withEffect("NoExecute").build();
        assertThat(Tolerations.tolerates(noExecute, GPU)).isFalse();
    }

    @Test
    void untoleratedListsOnlyTheUncoveredTaintsOfTheAskedEffects() {
        List<Toleration> tolerations = List.of(new TolerationBuilder().withKey("gpu").withOperator("Exists").build());
        assertThat(Tolerations.untolerated(tolerations, List.of(GPU, DOWN), "NoExecute")).containsExactly(DOWN);
        assertThat(Tolerations.untolerated(tolerations, List.of(GPU, DOWN), "NoSchedule")).isEmpty();
        assertThat(Tolerations.untolerated(null, null, "NoSchedule")).isEmpty();
    }
}
