package io.kedge.controllers.sets;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.ControllerRevisionBuilder;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RevisionsTest {
    static PodTemplateSpec template(String image, Map<String, String> labels) {
        return new PodTemplateSpecBuilder().withNewMetadata().withLabels(labels).endMetadata()
                .withNewSpec().addNewContainer().withName("c").withImage(image).endContainer().endSpec().build();
    }

    @Test
    void theHashIgnoresMapOrderButNotContentOrTheCollisionCount() {
        Map<String, String> ab = new LinkedHashMap<>();
        ab.put("a", "1");
        ab.put("b", "2");
        Map<String, String> ba = new LinkedHashMap<>();
        ba.put("b", "2");
        ba.put("a", "1");
        String h = Revisions.hash(template("img:1", ab), null);
        assertThat(Revisions.hash(template("img:1", ba), null)).isEqualTo(h);
        assertThat(Revisions.hash(template("img:2", ab), null)).isNotEqualTo(h);
        assertThat(Revisions.hash(template("img:1", ab), 1)).isNotEqualTo(h);
        assertThat(h).matches("[bcdfghjklmnpqrstvwxz2456789]+");
    }

    @Test
    void theDataIsAReplacePatchOfTheTemplateThatReadsBackAsTheSameTemplate() {
        PodTemplateSpec t = template("img:1", Map.of("app", "x"));
        ControllerRevision r = new ControllerRevisionBuilder().withNewMetadata().withName("r").withNamespace("ns").endMetadata()
                .withData(Revisions.data(t)).withRevision(1L).build();
        @SuppressWarnings("unchecked")
        Map<String, Object> template = (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>) r.getData()).get("spec")).get("template");
        assertThat(template).containsEntry("$patch", "replace");
        assertThat(Revisions.matches(r, t)).isTrue();
        assertThat(Revisions.matches(r, template("img:2", Map.of("app", "x")))).isFalse();
        assertThat(Revisions.template(r).getSpec().getContainers().get(0).getImage()).isEqualTo("img:1");
    }
}
