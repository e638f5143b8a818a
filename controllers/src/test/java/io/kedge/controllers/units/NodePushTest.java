package io.kedge.controllers.units;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import io.kedge.api.Json;
import io.kedge.api.patch.MergePatch;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NodePushTest {
    private static final Taint SITE = new TaintBuilder().withKey("site").withValue("east").withEffect("NoSchedule").build();
    private static final Taint OWN = new TaintBuilder().withKey("gpu").withEffect("NoSchedule").build();

    private static Node node(Map<String, String> labels, Map<String, String> annotations, List<Taint> taints) {
        return new NodeBuilder().withNewMetadata().withName("east-1").withResourceVersion("7").withLabels(labels)
                .withAnnotations(annotations).endMetadata().withNewSpec().withTaints(taints).endSpec().build();
    }

    /** The node as the server would hold it after the merge patch. */
    private static Node applied(Node n, Pushed wanted, String unit) {
        JsonNode patch = NodePush.patch(n, unit, wanted);
        assertThat(patch).isNotNull();
        assertThat(patch.at("/metadata/resourceVersion").asText()).as("a guarded write").isEqualTo("7");
        JsonNode merged = MergePatch.apply(Json.MAPPER.valueToTree(n), patch);
        return Json.MAPPER.convertValue(merged, Node.class);
    }

    @Test
    void aMemberGetsTheUnitsLabelsAnnotationsAndTaintsAndARecordOfThem() {
        Node n = node(Map.of("kedge.io/unit", "east"), Map.of(), List.of(OWN));
        Pushed wanted = new Pushed(Map.of("zone", "e"), Map.of("owner", "ops"), List.of(SITE));
        Node after = applied(n, wanted, "east");
        assertThat(after.getMetadata().getLabels()).containsEntry("zone", "e").containsEntry("kedge.io/unit", "east");
        assertThat(after.getMetadata().getAnnotations()).containsEntry("owner", "ops").containsKey(Pushed.ANNOTATION);
        assertThat(after.getSpec().getTaints()).extracting(Taint::getKey).containsExactly("gpu", "site");
        assertThat(Pushed.unitOf(after.getMetadata().getAnnotations().get(Pushed.ANNOTATION))).isEqualTo("east");
        assertThat(NodePush.patch(after, "east", wanted)).as("the second pass has nothing to do").isNull();
    }

    @Test
    void aChangedUnitTakesBackExactlyWhatItPushedAndNoLongerPushes() {
        Pushed first = new Pushed(Map.of("zone", "e", "tier", "1"), Map.of("owner", "ops"), List.of(SITE));
        Node pushed = applied(node(Map.of("kedge.io/unit", "east", "mine", "x"), Map.of("keep", "me"), List.of(OWN)), first, "east");
        pushed.getMetadata().setResourceVersion("7");

        Pushed second = new Pushed(Map.of("zone", "e2"), Map.of(), List.of());
        Node after = applied(pushed, second, "east");
        assertThat(after.getMetadata().getLabels()).containsOnly(Map.entry("kedge.io/unit", "east"), Map.entry("mine", "x"),
                Map.entry("zone", "e2"));
        assertThat(after.getMetadata().getAnnotations()).containsEntry("keep", "me").doesNotContainKey("owner");
        assertThat(after.getSpec().getTaints()).extracting(Taint::getKey).containsExactly("gpu");
    }

    @Test
    void aLabelSomeoneChangedSinceIsTheirsAndStays() {
        Pushed first = new Pushed(Map.of("zone", "e"), Map.of(), List.of());
        Node pushed = applied(node(Map.of("kedge.io/unit", "east"), Map.of(), List.of()), first, "east");
        pushed.getMetadata().setResourceVersion("7");
        pushed.getMetadata().getLabels().put("zone", "hand-set");
        Node after = applied(pushed, Pushed.NOTHING, "east");
        assertThat(after.getMetadata().getLabels()).containsEntry("zone", "hand-set");
        assertThat(after.getMetadata().getAnnotations()).doesNotContainKey(Pushed.ANNOTATION);
    }

    @Test
    void aNodeThatLeftItsUnitLosesThePushAndTheRecord() {
        Pushed first = new Pushed(Map.of("zone", "e"), Map.of("owner", "ops"), List.of(SITE));
        Node pushed = applied(node(Map.of("kedge.io/unit", "east"), Map.of(), List.of()), first, "east");
        pushed.getMetadata().setResourceVersion("7");
        pushed.getMetadata().getLabels().remove("kedge.io/unit");
        Node after = applied(pushed, Pushed.NOTHING, null);
        assertThat(after.getMetadata().getLabels()).isNullOrEmpty();
        assertThat(after.getMetadata().getAnnotations()).isNullOrEmpty();
        assertThat(after.getSpec().getTaints()).isNullOrEmpty();
    }

    @Test
    void aUnitTaintReplacesAnotherValueOfTheSameKeyAndEffect() {
        Taint other = new TaintBuilder().withKey("site").withValue("west").withEffect("NoSchedule").build();
        assertThat(NodePush.taints(List.of(other, OWN), List.of(), List.of(SITE))).extracting(Taint::getValue)
                .containsExactly(null, "east");
    }
}
