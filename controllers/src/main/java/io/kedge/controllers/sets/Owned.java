package io.kedge.controllers.sets;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.kedge.controllers.framework.Informers;
import java.util.List;

/** Objects by the uid of the owner that controls them, and the owner reference a controller writes. */
final class Owned {
    static final String INDEX = "kedge.io/controller-uid";

    private Owned() {}

    static <T extends HasMetadata> void register(SharedIndexInformer<T> informer) {
        Informers.ensureIndex(informer, INDEX, o -> {
            OwnerReference ref = controllerOf(o);
            return ref == null || ref.getUid() == null ? List.of() : List.of(ref.getUid());
        });
    }

    static <T extends HasMetadata> List<T> by(SharedIndexInformer<T> informer, HasMetadata owner) {
        return informer.getIndexer().byIndex(INDEX, owner.getMetadata().getUid());
    }

    static OwnerReference controllerOf(HasMetadata o) {
        if (o.getMetadata() == null || o.getMetadata().getOwnerReferences() == null) {
            return null;
        }
        for (OwnerReference ref : o.getMetadata().getOwnerReferences()) {
            if (Boolean.TRUE.equals(ref.getController())) {
                return ref;
            }
        }
        return null;
    }

    /** controller=true so that one owner manages it; blockOwnerDeletion=true so foreground deletion waits for it. */
    static OwnerReference reference(HasMetadata owner) {
        return new OwnerReferenceBuilder().withApiVersion(owner.getApiVersion()).withKind(owner.getKind())
                .withName(owner.getMetadata().getName()).withUid(owner.getMetadata().getUid())
                .withController(true).withBlockOwnerDeletion(true).build();
    }
}
