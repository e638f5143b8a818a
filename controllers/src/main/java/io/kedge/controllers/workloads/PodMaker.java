package io.kedge.controllers.workloads;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.StatusCause;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.kedge.controllers.framework.ControllerContext;
import io.kedge.controllers.framework.EventRecorder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

/** Creates a ReplicaSet's pods from its template, and deletes them, recording the events upstream records. */
final class PodMaker {
    private final KubernetesClient client;
    private final EventRecorder events;

    PodMaker(ControllerContext ctx) {
        this.client = ctx.client();
        this.events = ctx.events();
    }

    /** @return false when the namespace is being deleted, so no pod can be created in it */
    boolean create(ReplicaSet rs) {
        Pod pod = fromTemplate(rs);
        try {
            Pod created = client.pods().inNamespace(rs.getMetadata().getNamespace()).resource(pod).create();
            events.normal(rs, "SuccessfulCreate", "Created pod: " + created.getMetadata().getName());
            return true;
        } catch (KubernetesClientException e) {
            if (namespaceTerminating(e)) {
                return false;
            }
            events.warning(rs, "FailedCreate", "Error creating: " + message(e));
            throw e;
        }
    }

    /** @return false when the pod was already gone */
    boolean delete(ReplicaSet rs, Pod pod) {
        try {
            boolean deleted = !client.pods().inNamespace(pod.getMetadata().getNamespace())
                    .withName(pod.getMetadata().getName()).delete().isEmpty();
            if (deleted) {
                events.normal(rs, "SuccessfulDelete", "Deleted pod: " + pod.getMetadata().getName());
            }
            return deleted;
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                return false;
            }
            events.warning(rs, "FailedDelete", "Error deleting: " + message(e));
            throw e;
        }
    }

    private Pod fromTemplate(ReplicaSet rs) {
        PodTemplateSpec template = rs.getSpec().getTemplate();
        if (template == null || template.getMetadata() == null || template.getMetadata().getLabels() == null
                || template.getMetadata().getLabels().isEmpty()) {
            throw new IllegalStateException("replicaset " + rs.getMetadata().getNamespace() + "/"
                    + rs.getMetadata().getName() + ": unable to create pods, no labels in spec.template.metadata");
        }
        ObjectMeta meta = new ObjectMeta();
        meta.setGenerateName(rs.getMetadata().getName() + "-");
        meta.setNamespace(rs.getMetadata().getNamespace());
        meta.setLabels(new LinkedHashMap<>(template.getMetadata().getLabels()));
        if (template.getMetadata().getAnnotations() != null) {
            meta.setAnnotations(new LinkedHashMap<>(template.getMetadata().getAnnotations()));
        }
        if (template.getMetadata().getFinalizers() != null) {
            meta.setFinalizers(new ArrayList<>(template.getMetadata().getFinalizers()));
        }
        meta.setOwnerReferences(List.of(OwnerRefs.controllerRef(rs)));
        Pod pod = new Pod();
        pod.setMetadata(meta);
        pod.setSpec(client.getKubernetesSerialization().clone(template.getSpec()));
        return pod;
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

    static String message(KubernetesClientException e) {
        return e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage() : e.getMessage();
    }
}
