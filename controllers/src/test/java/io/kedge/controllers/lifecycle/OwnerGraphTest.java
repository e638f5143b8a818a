package io.kedge.controllers.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class OwnerGraphTest {
    private final OwnerGraph graph = new OwnerGraph();

    @Test
    void theDependentsOfAnObjectThatGoesAwayNeedAttention() {
        graph.upsert(node("rs", List.of(), Set.of(), false, "apps/replicasets"));
        graph.upsert(node("pod-a", List.of(ref("rs", true)), Set.of(), false, "/pods"));
        graph.upsert(node("pod-b", List.of(ref("rs", true)), Set.of(), false, "/pods"));

        assertThat(graph.remove("rs")).containsExactlyInAnyOrder("pod-a", "pod-b");
    }

    @Test
    void anObjectNamingAnUnknownOwnerNeedsAttention() {
        assertThat(graph.upsert(node("pod", List.of(ref("nobody", false)), Set.of(), false, "/pods"))).containsExactly("pod");
        assertThat(graph.withUnknownOwners()).containsExactly("pod");
    }

    @Test
    void anOwnerWaitingInTheForegroundNeedsAttentionWhenADependentGoes() {
        graph.upsert(node("rs", List.of(), Set.of("foregroundDeletion"), true, "apps/replicasets"));
        graph.upsert(node("pod", List.of(ref("rs", true)), Set.of(), false, "/pods"));

        assertThat(graph.remove("pod")).containsExactly("rs");
    }

    @Test
    void anUnchangedObjectNeedsNoAttention() {
        GraphNode pod = node("pod", List.of(ref("nobody", false)), Set.of(), false, "/pods");
        graph.upsert(pod);

        assertThat(graph.upsert(pod)).isEmpty();
    }

    @Test
    void aSweepThatNoLongerListsAnObjectRemovesIt() {
        graph.replaceSource("example.com/widgets", List.of(node("w", List.of(), Set.of(), false, "example.com/widgets")));
        graph.upsert(node("cm", List.of(ref("w", false)), Set.of(), false, "/configmaps"));

        Set<String> attention = graph.replaceSource("example.com/widgets", List.of());

        assertThat(attention).containsExactly("cm");
        assertThat(graph.node("w")).isNull();
        assertThat(graph.dependentsOf("w")).extracting(GraphNode::uid).containsExactly("cm");
    }

    @Test
    void aLateReadOfAnObjectTheGraphSawGoDoesNotBringItBack() {
        graph.upsert(node("rs", List.of(), Set.of("foregroundDeletion"), true, "apps/replicasets"));
        GraphNode readBeforeItWent = node("pod", List.of(ref("rs", true)), Set.of(), true, "/pods");
        graph.upsert(readBeforeItWent);
        graph.remove("pod");

        assertThat(graph.upsertIfPresent(readBeforeItWent)).isEmpty();
        assertThat(graph.node("pod")).isNull();
        assertThat(graph.dependentsOf("rs")).as("nothing holds the waiting owner").isEmpty();

        graph.upsert(node("cm", List.of(), Set.of(), false, "/configmaps"));
        graph.upsertIfPresent(node("cm", List.of(ref("rs", false)), Set.of(), false, "/configmaps"));
        assertThat(graph.dependentsOf("rs")).extracting(GraphNode::uid).containsExactly("cm");
    }

    private static GraphNode node(String uid, List<OwnerReference> owners, Set<String> finalizers, boolean deleting, String source) {
        return new GraphNode("v1", "Thing", "ns", uid, uid, owners, finalizers, deleting, source);
    }

    private static OwnerReference ref(String uid, boolean block) {
        return new OwnerReferenceBuilder().withApiVersion("v1").withKind("Thing").withName(uid).withUid(uid)
                .withBlockOwnerDeletion(block).build();
    }
}
