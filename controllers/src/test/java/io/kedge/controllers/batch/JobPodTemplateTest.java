package io.kedge.controllers.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import org.junit.jupiter.api.Test;

class JobPodTemplateTest {
    private static Job job() {
        return new JobBuilder().withNewMetadata().withName("pi").withNamespace("ns").withUid("u-1").endMetadata()
                .withNewSpec().withNewTemplate().withNewMetadata().addToLabels("app", "pi").addToAnnotations("a", "b")
                .addToFinalizers("example.com/keep").endMetadata()
                .withNewSpec().withRestartPolicy("Never").addNewContainer().withName("c").withImage("perl").endContainer()
                .addNewInitContainer().withName("init").withImage("busybox").endInitContainer().endSpec()
                .endTemplate().endSpec().build();
    }

    @Test
    void aPodCarriesTheTemplateTheFinalizerAndAControllingOwnerReference() {
        Pod pod = JobPodTemplate.podFor(job(), JobPods.NO_INDEX);

        assertThat(pod.getMetadata().getGenerateName()).isEqualTo("pi-");
        assertThat(pod.getMetadata().getNamespace()).isEqualTo("ns");
        assertThat(pod.getMetadata().getLabels()).containsEntry("app", "pi");
        assertThat(pod.getMetadata().getAnnotations()).containsEntry("a", "b").doesNotContainKey(JobPods.COMPLETION_INDEX);
        assertThat(pod.getMetadata().getFinalizers()).containsExactly("example.com/keep", JobPods.TRACKING_FINALIZER);
        assertThat(pod.getMetadata().getOwnerReferences()).singleElement().satisfies(r -> {
            assertThat(r.getApiVersion()).isEqualTo("batch/v1");
            assertThat(r.getKind()).isEqualTo("Job");
            assertThat(r.getUid()).isEqualTo("u-1");
            assertThat(r.getController()).isTrue();
            assertThat(r.getBlockOwnerDeletion()).isTrue();
        });
        assertThat(pod.getSpec().getHostname()).isNull();
        assertThat(pod.getSpec().getContainers().get(0).getEnv()).isEmpty();
    }

    @Test
    void anIndexedPodIsNumberedInNameHostnameAnnotationLabelAndEnvironment() {
        Job job = job();
        Pod pod = JobPodTemplate.podFor(job, 4);

        assertThat(pod.getMetadata().getGenerateName()).isEqualTo("pi-4-");
        assertThat(pod.getMetadata().getAnnotations()).containsEntry(JobPods.COMPLETION_INDEX, "4");
        assertThat(pod.getMetadata().getLabels()).containsEntry(JobPods.COMPLETION_INDEX, "4");
        assertThat(pod.getSpec().getHostname()).isEqualTo("pi-4");
        assertThat(pod.getSpec().getContainers().get(0).getEnv()).singleElement().satisfies(e -> {
            assertThat(e.getName()).isEqualTo("JOB_COMPLETION_INDEX");
            assertThat(e.getValueFrom().getFieldRef().getFieldPath())
                    .isEqualTo("metadata.annotations['batch.kubernetes.io/job-completion-index']");
        });
        assertThat(pod.getSpec().getInitContainers().get(0).getEnv()).extracting(e -> e.getName()).containsExactly("JOB_COMPLETION_INDEX");
        assertThat(job.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv()).as("the Job is left as it was").isEmpty();
        assertThat(job.getSpec().getTemplate().getMetadata().getLabels()).doesNotContainKey(JobPods.COMPLETION_INDEX);
    }

    @Test
    void aJobWithoutAPodTemplateIsRejectedByName() {
        Job job = new JobBuilder().withNewMetadata().withName("empty").endMetadata().withNewSpec().endSpec().build();
        assertThatThrownBy(() -> JobPodTemplate.podFor(job, JobPods.NO_INDEX))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("job empty has no spec.template.spec");
    }
}
