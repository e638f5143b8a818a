package io.kedge.kubelet.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.NodeCondition;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class NodeConditionsTest {
    private static final PressureSignals NONE = new PressureSignals(false, false, false);
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final Instant T1 = Instant.parse("2026-01-01T00:05:00Z");

    @Test
    void noPressureAndNoProblemIsReadyInUpstreamWords() {
        List<NodeCondition> c = NodeConditions.of(NONE, List.of(), null, T0);
        assertThat(c).extracting(x -> x.getType() + "=" + x.getStatus() + ":" + x.getReason()).containsExactly(
                "MemoryPressure=False:KubeletHasSufficientMemory", "DiskPressure=False:KubeletHasNoDiskPressure",
                "PIDPressure=False:KubeletHasSufficientPID", "Ready=True:KubeletReady");
        assertThat(c.get(3).getMessage()).isEqualTo("kubelet is posting ready status");
    }

    @Test
    void pressureAndProblemsAreReportedWithTheirReasons() {
        List<NodeCondition> c = NodeConditions.of(new PressureSignals(true, true, true),
                List.of("container runtime is down", "container runtime network not ready"), null, T0);
        assertThat(c).extracting(x -> x.getStatus() + ":" + x.getReason()).containsExactly(
                "True:KubeletHasInsufficientMemory", "True:KubeletHasDiskPressure", "True:KubeletHasInsufficientPID",
                "False:KubeletNotReady");
        assertThat(c.get(3).getMessage()).isEqualTo("container runtime is down, container runtime network not ready");
    }

    @Test
    void theTransitionTimeStaysWhileTheStatusStaysAndMovesWhenItChanges() {
        List<NodeCondition> first = NodeConditions.of(NONE, List.of(), null, T0);
        List<NodeCondition> same = NodeConditions.of(NONE, List.of(), first, T1);
        assertThat(NodeConditions.find(same, "Ready").getLastTransitionTime()).isEqualTo("2026-01-01T00:00:00Z");
        assertThat(NodeConditions.find(same, "Ready").getLastHeartbeatTime()).isEqualTo("2026-01-01T00:05:00Z");
        assertThat(NodeConditions.sameState(first, same)).isTrue();

        List<NodeCondition> down = NodeConditions.of(NONE, List.of("runtime down"), first, T1);
        assertThat(NodeConditions.find(down, "Ready").getLastTransitionTime()).isEqualTo("2026-01-01T00:05:00Z");
        assertThat(NodeConditions.find(down, "MemoryPressure").getLastTransitionTime()).isEqualTo("2026-01-01T00:00:00Z");
        assertThat(NodeConditions.sameState(first, down)).isFalse();
    }
}
