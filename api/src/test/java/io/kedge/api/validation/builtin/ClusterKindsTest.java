package io.kedge.api.validation.builtin;

import static io.kedge.api.validation.FieldError.Reason.Duplicate;
import static io.kedge.api.validation.FieldError.Reason.Forbidden;
import static io.kedge.api.validation.FieldError.Reason.Invalid;
import static io.kedge.api.validation.FieldError.Reason.NotSupported;
import static io.kedge.api.validation.FieldError.Reason.Required;
import static io.kedge.api.validation.Trees.assertOnly;
import static io.kedge.api.validation.Trees.stored;
import static io.kedge.api.validation.Trees.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kedge.api.validation.BuiltinStrategies;
import io.kedge.api.validation.FieldError;
import io.kedge.api.validation.Trees;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Namespaces and nodes. */
class ClusterKindsTest {
    @Test
    void namespacesGetTheirNameLabelActivePhaseAndOnCreateTheKubernetesFinalizer() {
        ObjectNode ns = stored("", "Namespace", "metadata: {name: team-a}");
        assertThat(ns.at("/metadata/labels/kubernetes.io~1metadata.name").asText()).isEqualTo("team-a");
        assertThat(ns.at("/status/phase").asText()).isEqualTo("Active");
        assertThat(ns.at("/spec/finalizers").toString()).isEqualTo("[\"kubernetes\"]");
        BuiltinStrategies.createPreparer("", "Namespace").apply(ns);
        assertThat(ns.at("/spec/finalizers").size()).as("added once").isEqualTo(1);
        assertThat(Trees.create("", "Namespace", false, ns)).isEmpty();
    }

    @Test
    void theNameLabelFollowsTheName() {
        ObjectNode ns = yaml("metadata: {name: team-a, labels: {kubernetes.io/metadata.name: spoofed}}");
        BuiltinStrategies.defaulter("", "Namespace").apply(ns);
        assertThat(ns.at("/metadata/labels/kubernetes.io~1metadata.name").asText()).isEqualTo("team-a");
    }

    @Test
    void plainUpdatesKeepTheStoredFinalizers() {
        ObjectNode old = stored("", "Namespace", "metadata: {name: team-a}");
        ObjectNode now = yaml("metadata: {name: team-a}\nspec: {finalizers: []}");
        assertThat(Trees.update("", "Namespace", false, now, old)).isEmpty();
        assertThat(now.at("/spec/finalizers/0").asText()).isEqualTo("kubernetes");
    }

    @Test
    void namespaceNamesAreLabelsAndFinalizersStandardOrQualified() {
        assertOnly(Trees.create("", "Namespace", false, stored("", "Namespace", "metadata: {name: team.a}")),
                "metadata.name", Invalid);
        ObjectNode ns = stored("", "Namespace", "metadata: {name: a}\nspec: {finalizers: [kubernetes, custom]}");
        assertOnly(Trees.create("", "Namespace", false, ns), "spec.finalizers[1]", Invalid);
    }

    @Test
    void nodesHaveNoSpecRequirements() {
        assertThat(Trees.create("", "Node", false, stored("", "Node", "metadata: {name: edge-1.site-a}"))).isEmpty();
    }

    @Test
    void nodeTaintsAreChecked() {
        ObjectNode node = stored("", "Node", """
                metadata: {name: n}
                spec:
                  taints:
                  - {key: kedge.io/unreachable, effect: NoExecute}
                  - {key: kedge.io/unreachable, effect: NoExecute}
                  - {key: a, effect: Sometimes}
                  - {effect: NoSchedule}
                """);
        var errors = Trees.create("", "Node", false, node);
        assertThat(errors).extracting(e -> e.field() + " " + e.reason()).containsExactly(
                "spec.taints[1] Duplicate", "spec.taints[2].effect NotSupported", "spec.taints[3].key Required");
    }

    @Test
    void aNodesAutonomyAnnotationMustBeADuration() {
        ObjectNode bad = stored("", "Node", "metadata: {name: n, annotations: {kedge.io/autonomy-duration: two days}}");
        assertThat(Trees.create("", "Node", false, bad)).extracting(e -> e.field() + " " + e.reason())
                .containsExactly("metadata.annotations[kedge.io/autonomy-duration] Invalid");
        ObjectNode good = stored("", "Node", "metadata: {name: n, annotations: {kedge.io/autonomy-duration: 48h}}");
        assertThat(Trees.create("", "Node", false, good)).isEmpty();
    }

    @Test
    void nodeCidrsAndProviderAreFixedOnceSet() {
        ObjectNode old = stored("", "Node", "metadata: {name: n}\nspec: {podCIDR: 10.244.1.0/24, "
                + "podCIDRs: [10.244.1.0/24], providerID: kedge://n}");
        ObjectNode moved = stored("", "Node", "metadata: {name: n}\nspec: {podCIDR: 10.244.2.0/24, "
                + "podCIDRs: [10.244.2.0/24], providerID: kedge://n}");
        assertOnly(Trees.update("", "Node", false, moved, old), "spec.podCIDRs", Forbidden);
        ObjectNode renamed = stored("", "Node", "metadata: {name: n}\nspec: {podCIDR: 10.244.1.0/24, "
                + "podCIDRs: [10.244.1.0/24], providerID: other://n}");
        assertOnly(Trees.update("", "Node", false, renamed, old), "spec.providerID", Forbidden);
        ObjectNode cordoned = old.deepCopy();
        ((ObjectNode) cordoned.get("spec")).put("unschedulable", true);
        assertThat(Trees.update("", "Node", false, cordoned, old)).isEmpty();
        assertOnly(Trees.create("", "Node", false, stored("", "Node", "metadata: {name: n}\nspec: {podCIDR: x}")),
                "spec.podCIDR", Invalid);
    }

    @Test
    void nodeStatusAllocatableDefaultsToCapacity() {
        ObjectNode node = stored("", "Node", "metadata: {name: n}\nstatus: {capacity: {cpu: '4', pods: '110'}}");
        assertThat(node.at("/status/allocatable/cpu").asText()).isEqualTo("4");
    }

    @Test
    void edgeUnitsAreClusterScopedWithTypeAutonomyAndPushedTaints() {
        ObjectNode unit = stored("edge.kedge.io", "EdgeUnit", """
                metadata: {name: warehouse-7}
                spec:
                  autonomy: 1h30m
                  labels: {topology.kubernetes.io/zone: eu-1}
                  taints: [{key: kedge.io/site, value: warehouse, effect: PreferNoSchedule}]
                """);
        assertThat(unit.at("/spec/type").asText()).isEqualTo("Edge");
        assertThat(Trees.create("edge.kedge.io", "EdgeUnit", false, unit)).isEmpty();
        assertThat(Trees.create("edge.kedge.io", "EdgeUnit", false,
                stored("edge.kedge.io", "EdgeUnit", "metadata: {name: u}\nspec: {type: Cloud, autonomy: '0'}")))
                .isEmpty();
        assertOnly(Trees.create("edge.kedge.io", "EdgeUnit", false,
                stored("edge.kedge.io", "EdgeUnit", "metadata: {name: u, namespace: d}")), "metadata.namespace",
                Forbidden);
    }

    @Test
    void edgeUnitFieldsAreChecked() {
        assertOnly(unitErrors("{type: Fog}"), "spec.type", NotSupported);
        assertOnly(unitErrors("{autonomy: '10'}"), "spec.autonomy", Invalid);
        assertOnly(unitErrors("{autonomy: 10}"), "spec.autonomy", FieldError.Reason.TypeInvalid);
        assertOnly(unitErrors("{autonomy: 1d}"), "spec.autonomy", Invalid);
        assertOnly(unitErrors("{autonomy: -10m}"), "spec.autonomy", Invalid);
        assertOnly(unitErrors("{taints: [{key: a, effect: Evict}]}"), "spec.taints[0].effect", NotSupported);
        assertOnly(unitErrors("{taints: [{key: a, effect: NoSchedule}, {key: a, effect: NoSchedule}]}"),
                "spec.taints[1]", Duplicate);
        assertOnly(unitErrors("{labels: {'bad key': x}}"), "spec.labels", Invalid);
        assertOnly(unitErrors("{labels: {kedge.io/unit: other}}"), "spec.labels[kedge.io/unit]", Forbidden);
        assertOnly(unitErrors("{annotations: {'a/b/c': x}}"), "spec.annotations", Invalid);
        assertOnly(Trees.create("edge.kedge.io", "EdgeUnit", false,
                stored("edge.kedge.io", "EdgeUnit", "metadata: {name: site.a}")), "metadata.name", Invalid);
        assertOnly(Trees.create("edge.kedge.io", "EdgeUnit", false, yaml("metadata: {name: a}\nspec: {}")),
                "spec.type", Required);
    }

    private static List<FieldError> unitErrors(String spec) {
        return Trees.create("edge.kedge.io", "EdgeUnit", false,
                stored("edge.kedge.io", "EdgeUnit", "metadata: {name: u}\nspec: " + spec));
    }
}
