package io.kedge.controllers.batch;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The pods a Job creates: its template, owned by the Job, holding the tracking finalizer, and for Indexed Jobs numbered. */
final class JobPodTemplate {
    static final String INDEX_ENV = "JOB_COMPLETION_INDEX";

    private JobPodTemplate() {}

    /** @param index the completion index, or {@link JobPods#NO_INDEX} for a NonIndexed Job */
    static Pod podFor(Job job, int index) {
        PodTemplateSpec template = job.getSpec().getTemplate();
        if (template == null || template.getSpec() == null) {
            throw new IllegalArgumentException("job " + job.getMetadata().getName() + " has no spec.template.spec");
        }
        ObjectMeta from = template.getMetadata() == null ? new ObjectMeta() : template.getMetadata();
        String name = job.getMetadata().getName();
        ObjectMeta meta = new ObjectMeta();
        meta.setGenerateName(index == JobPods.NO_INDEX ? name + "-" : name + "-" + index + "-");
        meta.setNamespace(job.getMetadata().getNamespace());
        meta.setLabels(copy(from.getLabels()));
        meta.setAnnotations(copy(from.getAnnotations()));
        List<String> finalizers = from.getFinalizers() == null ? new ArrayList<>() : new ArrayList<>(from.getFinalizers());
        if (!finalizers.contains(JobPods.TRACKING_FINALIZER)) {
            finalizers.add(JobPods.TRACKING_FINALIZER);
        }
        meta.setFinalizers(finalizers);
        meta.setOwnerReferences(List.of(new OwnerReferenceBuilder().withApiVersion("batch/v1").withKind("Job")
                .withName(name).withUid(job.getMetadata().getUid()).withController(true).withBlockOwnerDeletion(true).build()));
        PodSpec spec = new PodSpecBuilder(template.getSpec()).build();
        if (index != JobPods.NO_INDEX) {
            meta.getAnnotations().put(JobPods.COMPLETION_INDEX, Integer.toString(index));
            meta.getLabels().put(JobPods.COMPLETION_INDEX, Integer.toString(index));
            spec.setHostname(name + "-" + index);
            addIndexEnv(spec.getInitContainers());
            addIndexEnv(spec.getContainers());
        }
        Pod pod = new Pod();
        pod.setMetadata(meta);
        pod.setSpec(spec);
        return pod;
    }

    private static void addIndexEnv(List<Container> containers) {
        if (containers == null) {
            return;
        }
        for (Container c : containers) {
            List<EnvVar> env = c.getEnv() == null ? new ArrayList<>() : new ArrayList<>(c.getEnv());
            if (env.stream().noneMatch(e -> INDEX_ENV.equals(e.getName()))) {
                env.add(new EnvVarBuilder().withName(INDEX_ENV).withNewValueFrom().withNewFieldRef()
                        .withFieldPath("metadata.annotations['" + JobPods.COMPLETION_INDEX + "']").endFieldRef()
                        .endValueFrom().build());
            }
            c.setEnv(env);
        }
    }

    private static Map<String, String> copy(Map<String, String> m) {
        return m == null ? new LinkedHashMap<>() : new LinkedHashMap<>(m);
    }
}
