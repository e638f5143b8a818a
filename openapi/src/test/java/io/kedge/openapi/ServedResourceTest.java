package io.kedge.openapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ServedResourceTest {

    @Test
    void coreAndNamedGroupsGetTheirDocumentPaths() {
        assertThat(ServedFixtures.builtin("", "v1", "Pod", "pods", true).groupVersionPath()).isEqualTo("api/v1");
        assertThat(ServedFixtures.builtin("apps", "v1", "Deployment", "deployments", true).groupVersionPath())
                .isEqualTo("apis/apps/v1");
        assertThat(ServedFixtures.builtin("", "v1", "Pod", "pods", true).groupVersion()).isEqualTo("v1");
    }

    @Test
    void missingPartsAreRejectedByName() {
        assertThatThrownBy(() -> ServedResource.builtin(null, "v1", "Pod", "pods", true, List.of(), List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("group must not be null");
        assertThatThrownBy(() -> ServedResource.builtin("", " ", "Pod", "pods", true, List.of(), List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("non-blank version");
        assertThatThrownBy(() -> ServedResource.builtin("", "v1", "Pod", "pods", true, null, List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Pod: verbs must not be null");
    }

    @Test
    void aCustomSchemaMustBeAnObject() {
        assertThatThrownBy(() -> new ServedResource("x.io", "v1", "Thing", "things", true, List.of(), List.of(),
                ServedFixtures.json("[1]")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must be a JSON object, got ARRAY");
    }
}
