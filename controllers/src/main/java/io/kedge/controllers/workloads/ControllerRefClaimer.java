package io.kedge.controllers.workloads;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;

/**
 * Decides which objects an owner controls, as upstream's controller-ref manager does: objects it
 * controls and its selector matches are kept; orphans its selector matches are adopted; objects it
 * controls and its selector no longer matches are released. Objects another controller owns are
 * left alone. Adoption and release are strategic-merge patches of ownerReferences, keyed by uid.
 */
final class ControllerRefClaimer {
    private final KubernetesClient client;

    ControllerRefClaimer(KubernetesClient client) {
        this.client = client;
    }

    /**
     * @param canAdopt asked at most once, before the first adoption: whether the owner (read afresh,
     *                 not from a cache) still exists with the same uid and is not being deleted
     * @return the objects the owner controls after claiming; adopted ones carry the new reference
     */
    <T extends HasMetadata> List<T> claim(HasMetadata owner, LabelSelector selector, List<T> candidates,
                                          BooleanSupplier canAdopt, UnaryOperator<T> copy) {
        List<T> claimed = new ArrayList<>();
        boolean ownerDeleting = OwnerRefs.isDeleting(owner);
        Boolean adoptable = null;
        for (T obj : candidates) {
            OwnerReference ref = OwnerRefs.controllerOf(obj);
            boolean matches = LabelSelectors.matches(selector, obj.getMetadata().getLabels());
            if (ref != null) {
                if (!owner.getMetadata().getUid().equals(ref.getUid())) {
                    continue;
                }
                if (matches) {
                    claimed.add(obj);
                } else if (!ownerDeleting) {
                    release(owner, obj);
                }
                continue;
            }
            if (!matches || ownerDeleting || OwnerRefs.isDeleting(obj)) {
                continue;
            }
            if (adoptable == null) {
                adoptable = canAdopt.getAsBoolean();
            }
            if (adoptable && adopt(owner, obj)) {
                T adopted = copy.apply(obj);
                List<OwnerReference> refs = new ArrayList<>(adopted.getMetadata().getOwnerReferences() == null
                        ? List.of() : adopted.getMetadata().getOwnerReferences());
                refs.add(OwnerRefs.controllerRef(owner));
                adopted.getMetadata().setOwnerReferences(refs);
                claimed.add(adopted);
            }
        }
        return claimed;
    }

    private boolean adopt(HasMetadata owner, HasMetadata obj) {
        OwnerReference ref = OwnerRefs.controllerRef(owner);
        Map<String, Object> patch = Map.of("metadata", Map.of(
                "ownerReferences", List.of(Map.of("apiVersion", ref.getApiVersion(), "kind", ref.getKind(),
                        "name", ref.getName(), "uid", ref.getUid(), "controller", true, "blockOwnerDeletion", true)),
                "uid", obj.getMetadata().getUid()));
        return patch(obj, patch);
    }

    private void release(HasMetadata owner, HasMetadata obj) {
        Map<String, Object> patch = Map.of("metadata", Map.of(
                "ownerReferences", List.of(Map.of("$patch", "delete", "uid", owner.getMetadata().getUid())),
                "uid", obj.getMetadata().getUid()));
        patch(obj, patch);
    }

    /** @return false when the object is gone, which needs no retry */
    private boolean patch(HasMetadata obj, Map<String, Object> patch) {
        String json = client.getKubernetesSerialization().asJson(patch);
        try {
            client.resources(obj.getClass()).inNamespace(obj.getMetadata().getNamespace())
                    .withName(obj.getMetadata().getName())
                    .patch(PatchContext.of(PatchType.STRATEGIC_MERGE), json);
            return true;
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                return false;
            }
            throw e;
        }
    }
}
