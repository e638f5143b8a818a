package io.kedge.controllers.units;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class UnitStatusTest {
    private static final Instant NOW = Instant.parse("2026-11-27T12:00:00Z");

    private static Node node(String name, String ready) {
        return new NodeBuilder().withNewMetadata().withName(name).endMetadata().withNewStatus().addNewCondition()
                .withType("Ready").withStatus(ready).endCondition().endStatus().build();
    }

    @Test
    void theStatusListsMembersAndReadyMembersAndSummarisesThemInAReadyCondition() {
        EdgeUnit.Status s = UnitStatus.of(List.of(node("east-2", "Unknown"), node("east-1", "True")), null, NOW);
        assertThat(s.nodes).containsExactly("east-1", "east-2");
        assertThat(s.readyNodes).containsExactly("east-1");
        assertThat(s.conditions.get(0).getStatus()).isEqualTo("False");
        assertThat(s.conditions.get(0).getReason()).isEqualTo("NodesNotReady");
        assertThat(s.conditions.get(0).getMessage()).isEqualTo("1 of 2 node(s) are Ready; not Ready: east-2.");

        EdgeUnit.Status all = UnitStatus.of(List.of(node("east-1", "True")), s, NOW.plusSeconds(5));
        assertThat(all.conditions.get(0).getReason()).isEqualTo("AllNodesReady");
        assertThat(all.conditions.get(0).getLastTransitionTime()).isEqualTo("2026-11-27T12:00:05Z");
    }

    @Test
    void anUnchangedStatusIsNotWrittenAgainAndKeepsItsTransitionTime() {
        EdgeUnit.Status s = UnitStatus.of(List.of(node("east-1", "True")), null, NOW);
        EdgeUnit.Status again = UnitStatus.of(List.of(node("east-1", "True")), s, NOW.plusSeconds(60));
        assertThat(UnitStatus.same(s, again)).isTrue();
        assertThat(again.conditions.get(0).getLastTransitionTime()).isEqualTo("2026-11-27T12:00:00Z");
        assertThat(UnitStatus.same(s, UnitStatus.of(List.of(), s, NOW))).isFalse();
        assertThat(UnitStatus.same(null, s)).isFalse();
    }
}
