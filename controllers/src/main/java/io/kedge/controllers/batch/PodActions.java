package io.kedge.controllers.batch;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.StatusCause;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/** The API writes of a Job reconcile, each recorded in the expectations and, like upstream, in an event. */
final class PodActions {
    private static final String RELEASE_PATCH =
            "{\"metadata\":{\"$deleteFromPrimitiveList/finalizers\":[\"" + JobPods.TRACKING_FINALIZER + "\"]}}";

    private final JobRuntime rt;
    private final Job job;
    private final String jobUid;
    private final String namespace;
    private final Instant now;

    PodActions(JobRuntime rt, Job job, Instant now) {
        this.rt = rt;
        this.job = job;
        this.jobUid = JobPods.uid(job);
        this.namespace = job.getMetadata().getNamespace();
        this.now = now;
    }

    /** @return 1 if a pod was created, 0 if the namespace is being deleted and takes no new pods */
    int create(int index) {
        Pod pod = JobPodTemplate.podFor(job, index);
        try {
            Pod created = rt.ctx().client().pods().inNamespace(namespace).resource(pod).create();
            rt.expectations().expectCreated(jobUid, created.getMetadata().getName(), now);
            rt.ctx().events().normal(job, "SuccessfulCreate", "Created pod: " + created.getMetadata().getName());
            return 1;
        } catch (KubernetesClientException e) {
            if (namespaceTerminating(e)) {
                return 0;
            }
            rt.ctx().events().warning(job, "FailedCreate", "Error creating: " + e.getMessage());
            throw e;
        }
    }

    /** Deletes pods that will be counted (as failed) once gone: their finalizer stays until the Job has counted them. */
    void deleteKeepingFinalizers(List<Pod> pods, Consumer<Pod> onDeleted) {
        for (Pod pod : pods) {
            delete(pod);
            onDeleted.accept(pod);
        }
    }

    /** Deletes pods that must not be counted at all (a suspended Job's, or too many): their finalizer goes first. */
    void deleteReleasingFinalizers(List<Pod> pods, Consumer<Pod> onDeleted, Set<String> releasing) {
        for (Pod pod : pods) {
            releaseFinalizer(pod);
            releasing.add(JobPods.uid(pod));
            delete(pod);
            onDeleted.accept(pod);
        }
    }

    void releaseFinalizer(Pod pod) {
        if (!JobPods.hasTrackingFinalizer(pod)) {
            return;
        }
        releaseFinalizer(rt.ctx().client(), pod);
        rt.expectations().expectReleased(jobUid, JobPods.uid(pod), now);
    }

    /** Removes the tracking finalizer alone, leaving any others; a pod already gone needs nothing. */
    static void releaseFinalizer(KubernetesClient client, Pod pod) {
        try {
            client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName())
                    .patch(PatchContext.of(PatchType.STRATEGIC_MERGE), RELEASE_PATCH);
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404) {
                throw e;
            }
        }
    }

    /** Writes the status of {@code working}, whose resourceVersion then follows the write. */
    void writeStatus(Job working) {
        Job written = rt.ctx().client().batch().v1().jobs().inNamespace(namespace).resource(working).updateStatus();
        working.getMetadata().setResourceVersion(written.getMetadata().getResourceVersion());
        rt.written().wrote(written, now);
    }

    private void delete(Pod pod) {
        String name = pod.getMetadata().getName();
        try {
            rt.ctx().client().pods().inNamespace(namespace).withName(name).delete();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404) {
                rt.ctx().events().warning(job, "FailedDelete", "Error deleting: " + e.getMessage());
                throw e;
            }
        }
        rt.expectations().expectDeleted(jobUid, JobPods.uid(pod), now);
        rt.ctx().events().normal(job, "SuccessfulDelete", "Deleted pod: " + name);
    }

    private static boolean namespaceTerminating(KubernetesClientException e) {
        if (e.getStatus() == null || e.getStatus().getDetails() == null || e.getStatus().getDetails().getCauses() == null) {
            return false;
        }
        for (StatusCause c : e.getStatus().getDetails().getCauses()) {
            if ("NamespaceTerminating".equals(c.getReason())) {
                return true;
            }
        }
        return false;
    }
}
