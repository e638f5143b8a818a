package io.kedge.controllers.disruption;

import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;

/** Pods as the informers would hold them, for tests that need no server. */
final class Pods {
    private Pods() {}

    static Pod ownedBy(String name, String kind, String ownerName, String ownerUid, boolean ready) {
        return new PodBuilder().withNewMetadata().withName(name).withNamespace("ns").addToLabels("app", "web")
                .addToOwnerReferences(new OwnerReferenceBuilder().withApiVersion(kind.equals("Job") ? "batch/v1" : "apps/v1")
                        .withKind(kind).withName(ownerName).withUid(ownerUid).withController(true).build())
                .endMetadata()
                .withNewStatus().withPhase("Running").addNewCondition().withType("Ready").withStatus(ready ? "True" : "False")
                .endCondition().endStatus().build();
    }

    static Pod unowned(String name) {
        return new PodBuilder().withNewMetadata().withName(name).withNamespace("ns").addToLabels("app", "web").endMetadata()
                .withNewStatus().withPhase("Running").endStatus().build();
    }

    static Pod deleting(Pod pod) {
        pod.getMetadata().setDeletionTimestamp("2030-01-01T00:00:00Z");
        return pod;
    }
}
