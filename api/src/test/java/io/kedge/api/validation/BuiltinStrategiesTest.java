package io.kedge.api.validation;

import static io.kedge.api.validation.Trees.yaml;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class BuiltinStrategiesTest {
    @Test
    void unknownKindsGetNoDefaultsAndMetadataOnlyValidation() {
        ObjectNode o = yaml("{metadata: {name: w, namespace: ns}, spec: {anything: [1, 2]}}");
        ObjectNode copy = o.deepCopy();
        BuiltinStrategies.defaulter("example.com", "Widget").apply(o);
        assertThat(o).isEqualTo(copy);
        assertThat(BuiltinStrategies.validator("example.com", "Widget", true).validateCreate(o)).isEmpty();
    }

    @Test
    void theCoreGroupMayBeGivenAsNull() {
        ObjectNode o = yaml("{metadata: {name: s}, type: ''}");
        BuiltinStrategies.defaulter(null, "Secret").apply(o);
        assertThat(o.get("type").asText()).isEqualTo("Opaque");
    }

    @Test
    void aMissingKindOrObjectIsAClearError() {
        assertThatThrownBy(() -> BuiltinStrategies.defaulter("", null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("kind");
        assertThatThrownBy(() -> BuiltinStrategies.defaulter("", "Pod").apply(null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("null");
        assertThatThrownBy(() -> BuiltinStrategies.validator("", "Pod", true).validateCreate(null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("null");
        assertThatThrownBy(() -> BuiltinStrategies.validator("", "Pod", true).validateUpdate(yaml("{}"), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("old object");
    }

    @Test
    void updatePreparationKeepsUidAndCreationTimestamp() {
        ObjectNode old = yaml("metadata: {name: w, uid: u1, creationTimestamp: '2026-01-01T00:00:00Z'}");
        ObjectNode now = yaml("metadata: {name: w, creationTimestamp: '2030-01-01T00:00:00Z'}");
        BuiltinStrategies.updatePreparer("example.com", "Widget").apply(now, old);
        assertThat(now.at("/metadata/uid").asText()).isEqualTo("u1");
        assertThat(now.at("/metadata/creationTimestamp").asText()).isEqualTo("2026-01-01T00:00:00Z");
    }

    @Test
    void nameRuleIsExposedForTheServer() {
        assertThat(BuiltinStrategies.nameRule("", "Service")).isEqualTo(NameRule.DNS1035_LABEL);
    }
}
