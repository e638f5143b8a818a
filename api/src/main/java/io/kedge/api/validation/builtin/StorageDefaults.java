package io.kedge.api.validation.builtin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kedge.api.validation.Nodes;

/** Defaults of volumes and claims, and of the node status kubelets report. */
final class StorageDefaults {
    private StorageDefaults() {}

    static void persistentVolumeClaim(ObjectNode pvc) {
        Nodes.defaultText(Nodes.object(pvc, "spec"), "volumeMode", "Filesystem");
        Nodes.defaultText(Nodes.ensureObject(pvc, "status"), "phase", "Pending");
    }

    static void persistentVolume(ObjectNode pv) {
        ObjectNode spec = Nodes.object(pv, "spec");
        Nodes.defaultText(spec, "persistentVolumeReclaimPolicy", "Retain");
        Nodes.defaultText(spec, "volumeMode", "Filesystem");
        Nodes.defaultText(Nodes.ensureObject(pv, "status"), "phase", "Pending");
    }

    /** A node that reports capacity but no allocatable can allocate all of it. */
    static void node(ObjectNode node) {
        ObjectNode status = Nodes.object(node, "status");
        if (status != null && status.get("capacity") instanceof ObjectNode capacity
                && Nodes.isUnset(status, "allocatable")) {
            status.set("allocatable", capacity.deepCopy());
        }
    }

    static void podTemplate(ObjectNode podTemplate) {
        PodSpecDefaults.applyToTemplate(Nodes.object(podTemplate, "template"));
    }
}
