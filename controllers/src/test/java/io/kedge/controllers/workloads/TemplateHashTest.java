package io.kedge.controllers.workloads;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TemplateHashTest {
    private final TemplateHash hash = new TemplateHash(new KubernetesSerialization());

    private static PodTemplateSpec template(Map<String, String> labels, String image) {
        return WorkloadCluster.template(labels, image, null);
    }

    @Test
    void theHashDependsOnContentNotOnMapOrder() {
        Map<String, String> ab = new LinkedHashMap<>();
        ab.put("a", "1");
        ab.put("b", "2");
        Map<String, String> ba = new LinkedHashMap<>();
        ba.put("b", "2");
        ba.put("a", "1");
        assertThat(hash.hash(template(ab, "x:1"), null)).isEqualTo(hash.hash(template(ba, "x:1"), null));
        assertThat(hash.hash(template(ab, "x:1"), null)).isNotEqualTo(hash.hash(template(ab, "x:2"), null));
    }

    @Test
    void aCollisionCountChangesTheHash() {
        PodTemplateSpec t = template(Map.of("app", "web"), "x:1");
        assertThat(hash.hash(t, 1)).isNotEqualTo(hash.hash(t, null)).isNotEqualTo(hash.hash(t, 2));
    }

    @Test
    void theHashIsSpelledWithoutVowelsSoItIsALabelValueAndNeverAWord() {
        assertThat(hash.hash(template(Map.of("app", "web"), "x:1"), null)).matches("[bcdfghjklmnpqrstvwxz2456789]{1,10}");
        assertThat(TemplateHash.safeEncode("0123456789")).isEqualTo("456789bcdf");
    }

    @Test
    void equalityIgnoresOnlyThePodTemplateHashLabel() {
        PodTemplateSpec plain = template(Map.of("app", "web"), "x:1");
        PodTemplateSpec hashed = template(Map.of("app", "web", TemplateHash.LABEL, "abc"), "x:1");
        assertThat(hash.equalIgnoringHash(plain, hashed)).isTrue();
        assertThat(hash.equalIgnoringHash(plain, template(Map.of("app", "web"), "x:2"))).isFalse();
        assertThat(hash.equalIgnoringHash(plain, template(Map.of("app", "web", "tier", "1"), "x:1"))).isFalse();
    }

    @Test
    void anEmptyListEqualsAMissingOne() {
        PodTemplateSpec a = template(Map.of("app", "web"), "x:1");
        PodTemplateSpec b = template(Map.of("app", "web"), "x:1");
        b.getSpec().getContainers().get(0).setArgs(new java.util.ArrayList<>());
        a.getSpec().getContainers().get(0).setArgs(null);
        assertThat(hash.equalIgnoringHash(a, b)).isTrue();
        assertThat(hash.hash(a, null)).isEqualTo(hash.hash(b, null));
    }

    @Test
    void anEmptyObjectEqualsAMissingOneAsInTheTemplateKubectlUndoRestores() {
        PodTemplateSpec original = template(Map.of("app", "web"), "x:1");
        PodTemplateSpec restored = template(Map.of("app", "web"), "x:1");
        restored.getSpec().getContainers().get(0).setResources(new io.fabric8.kubernetes.api.model.ResourceRequirements());
        restored.getMetadata().setAnnotations(Map.of());
        assertThat(hash.equalIgnoringHash(original, restored)).isTrue();
        assertThat(hash.hash(original, null)).isEqualTo(hash.hash(restored, null));
    }
}
