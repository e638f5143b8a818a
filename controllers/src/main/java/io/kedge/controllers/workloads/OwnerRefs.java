package io.kedge.controllers.workloads;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;

/** The controller reference: the one ownerReference with controller=true. */
final class OwnerRefs {
    private OwnerRefs() {}

    static OwnerReference controllerOf(HasMetadata o) {
        if (o.getMetadata().getOwnerReferences() == null) {
            return null;
        }
        for (OwnerReference ref : o.getMetadata().getOwnerReferences()) {
            if (Boolean.TRUE.equals(ref.getController())) {
                return ref;
            }
        }
        return null;
    }

    static boolean isControlledBy(HasMetadata o, HasMetadata owner) {
        OwnerReference ref = controllerOf(o);
        return ref != null && ref.getUid() != null && ref.getUid().equals(owner.getMetadata().getUid());
    }

    /** The reference an owner puts on what it creates or adopts: controller, and blocking its owner's foreground deletion. */
    static OwnerReference controllerRef(HasMetadata owner) {
        return new OwnerReferenceBuilder().withApiVersion(owner.getApiVersion()).withKind(owner.getKind())
                .withName(owner.getMetadata().getName()).withUid(owner.getMetadata().getUid())
                .withController(true).withBlockOwnerDeletion(true).build();
    }

    static boolean isDeleting(HasMetadata o) {
        return o.getMetadata().getDeletionTimestamp() != null;
    }
}
