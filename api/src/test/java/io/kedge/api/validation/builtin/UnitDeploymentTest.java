package io.kedge.api.validation.builtin;

import static io.kedge.api.validation.FieldError.Reason.Duplicate;
import static io.kedge.api.validation.FieldError.Reason.Invalid;
import static io.kedge.api.validation.FieldError.Reason.NotFound;
import static io.kedge.api.validation.FieldError.Reason.NotSupported;
import static io.kedge.api.validation.FieldError.Reason.Required;
import static io.kedge.api.validation.Trees.assertOnly;
import static io.kedge.api.validation.Trees.stored;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kedge.api.validation.BuiltinStrategies;
import io.kedge.api.validation.FieldError;
import io.kedge.api.validation.Trees;
import java.util.List;
import org.junit.jupiter.api.Test;

class UnitDeploymentTest {
    private static final String GROUP = "edge.kedge.io";
    private static final String BASE = """
            metadata: {name: web, namespace: shop}
            spec:
              units: [site-a, site-b]
              template:
                metadata: {labels: {app: web}}
                spec:
                  selector: {matchLabels: {app: web}}
                  template:
                    metadata: {labels: {app: web}}
                    spec:
                      containers: [{name: app, image: registry.local/web:1}]
            """;

    private static ObjectNode ud(String extra) {
        return stored(GROUP, "UnitDeployment", BASE + extra);
    }

    private static List<FieldError> create(String extra) {
        return Trees.create(GROUP, "UnitDeployment", true, ud(extra));
    }

    @Test
    void theDeploymentTemplateIsDefaultedLikeADeployment() {
        ObjectNode spec = (ObjectNode) ud("").at("/spec/template/spec");
        assertThat(spec.get("replicas").asInt()).isEqualTo(1);
        assertThat(spec.at("/strategy/type").asText()).isEqualTo("RollingUpdate");
        assertThat(spec.at("/template/spec/restartPolicy").asText()).isEqualTo("Always");
        ObjectNode again = ud("");
        BuiltinStrategies.defaulter(GROUP, "UnitDeployment").apply(again);
        assertThat(again).isEqualTo(ud(""));
    }

    @Test
    void aUnitDeploymentWithOverridesIsValid() {
        assertThat(create("""
                  overrides:
                  - unit: site-a
                    replicas: 3
                    images: [{container: app, image: registry.local/web:2}]
                    patches: [{op: replace, path: /spec/template/spec/nodeSelector, value: {disk: ssd}}]
                """)).isEmpty();
    }

    @Test
    void unitsAreRequiredUniqueLabels() {
        assertOnly(Trees.create(GROUP, "UnitDeployment", true, stored(GROUP, "UnitDeployment",
                BASE.replace("units: [site-a, site-b]", "units: []"))), "spec.units", Required);
        assertOnly(Trees.create(GROUP, "UnitDeployment", true, stored(GROUP, "UnitDeployment",
                BASE.replace("site-b", "site-a"))), "spec.units[1]", Duplicate);
        assertOnly(Trees.create(GROUP, "UnitDeployment", true, stored(GROUP, "UnitDeployment",
                BASE.replace("site-b", "Site_B"))), "spec.units[1]", Invalid);
    }

    @Test
    void theTemplateIsValidatedAsADeployment() {
        assertOnly(Trees.create(GROUP, "UnitDeployment", true, stored(GROUP, "UnitDeployment",
                BASE.replace("matchLabels: {app: web}", "matchLabels: {app: db}"))),
                "spec.template.spec.template.metadata.labels", Invalid);
        assertOnly(Trees.create(GROUP, "UnitDeployment", true, stored(GROUP, "UnitDeployment",
                BASE.replace(", image: registry.local/web:1", ""))),
                "spec.template.spec.template.spec.containers[0].image", Required);
    }

    @Test
    void overridesNameKnownUnitsAndContainers() {
        assertOnly(create("  overrides: [{unit: site-z}]\n"), "spec.overrides[0].unit", NotFound);
        assertOnly(create("  overrides: [{unit: site-a}, {unit: site-a}]\n"), "spec.overrides[1].unit", Duplicate);
        assertOnly(create("  overrides: [{unit: site-a, replicas: -1}]\n"), "spec.overrides[0].replicas", Invalid);
        assertOnly(create("  overrides: [{unit: site-a, images: [{container: sidecar, image: x}]}]\n"),
                "spec.overrides[0].images[0].container", NotFound);
        assertOnly(create("  overrides: [{unit: site-a, patches: [{op: move, path: /a}]}]\n"),
                "spec.overrides[0].patches[0].op", NotSupported);
        assertOnly(create("  overrides: [{unit: site-a, patches: [{op: remove, path: a}]}]\n"),
                "spec.overrides[0].patches[0].path", Invalid);
        assertOnly(create("  overrides: [{unit: site-a, patches: [{op: add, path: /a}]}]\n"),
                "spec.overrides[0].patches[0].value", Required);
    }

    @Test
    void theSelectorIsImmutable() {
        ObjectNode old = ud("");
        ObjectNode now = stored(GROUP, "UnitDeployment", BASE.replace("{app: web}", "{app: web2}"));
        assertOnly(Trees.update(GROUP, "UnitDeployment", true, now, old), "spec.template.spec.selector", Invalid);
    }

    @Test
    void unitDeploymentsAreNamespaced() {
        ObjectNode noNs = stored(GROUP, "UnitDeployment", BASE.replace("namespace: shop", "labels: {}"));
        assertOnly(Trees.create(GROUP, "UnitDeployment", true, noNs), "metadata.namespace", Required);
    }
}
