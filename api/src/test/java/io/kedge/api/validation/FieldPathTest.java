package io.kedge.api.validation;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FieldPathTest {
    @Test
    void rendersChildrenIndexesAndKeysInKubernetesNotation() {
        FieldPath p = FieldPath.ROOT.child("spec", "template", "spec").child("containers").index(0).child("image");
        assertThat(p).hasToString("spec.template.spec.containers[0].image");
        assertThat(FieldPath.ROOT.child("data").key("app.conf")).hasToString("data[app.conf]");
        assertThat(FieldPath.root("metadata").child("labels")).hasToString("metadata.labels");
    }

    @Test
    void equalPathsAreEqual() {
        assertThat(FieldPath.ROOT.child("a").index(1)).isEqualTo(FieldPath.root("a").index(1));
    }
}
