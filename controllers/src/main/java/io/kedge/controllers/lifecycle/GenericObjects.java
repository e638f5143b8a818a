package io.kedge.controllers.lifecycle;

import io.fabric8.kubernetes.api.model.DeleteOptions;
import io.fabric8.kubernetes.api.model.DeleteOptionsBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.List;
import java.util.Map;

/**
 * Reads and writes objects of any resource by its discovery entry. Deletes go out as raw requests
 * because the typed DSL cannot send a UID precondition, which the garbage collector relies on.
 */
final class GenericObjects {
    private final KubernetesClient client;

    GenericObjects(KubernetesClient client) {
        this.client = client;
    }

    KubernetesClient client() {
        return client;
    }

    /** @return the object, or null if there is none of that name */
    GenericKubernetesResource get(ApiResource r, String namespace, String name) {
        var op = client.genericKubernetesResources(r.context());
        return r.namespaced() ? op.inNamespace(namespace).withName(name).get() : op.withName(name).get();
    }

    /** @param namespace null lists across all namespaces */
    List<GenericKubernetesResource> list(ApiResource r, String namespace) {
        var op = client.genericKubernetesResources(r.context());
        if (!r.namespaced()) {
            return op.list().getItems();
        }
        return namespace == null ? op.inAnyNamespace().list().getItems() : op.inNamespace(namespace).list().getItems();
    }

    /**
     * Deletes one object. {@code uid} and {@code resourceVersion} (either may be null) are
     * preconditions: the server answers 409 if the object is not that one any more.
     *
     * @return false if there was nothing to delete
     */
    boolean delete(ApiResource r, String namespace, String name, String uid, String resourceVersion, String propagation) {
        DeleteOptionsBuilder b = new DeleteOptionsBuilder().withApiVersion("v1").withKind("DeleteOptions")
                .withPropagationPolicy(propagation);
        if (uid != null || resourceVersion != null) {
            b.withNewPreconditions().withUid(uid).withResourceVersion(resourceVersion).endPreconditions();
        }
        return send(r.objectPath(namespace, name), b.build());
    }

    /** Deletes every object of a resource in a namespace in one request. */
    void deleteCollection(ApiResource r, String namespace, String propagation) {
        send(r.collectionPath(namespace), new DeleteOptionsBuilder().withApiVersion("v1").withKind("DeleteOptions")
                .withPropagationPolicy(propagation).build());
    }

    private boolean send(String path, DeleteOptions options) {
        try {
            client.raw(path, "DELETE", options);
            return true;
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                return false;
            }
            throw e;
        }
    }

    /**
     * Applies a JSON merge patch (RFC 7386). A {@code metadata.resourceVersion} in it makes the
     * write conditional, which the callers use to change lists (owners, finalizers) safely.
     */
    GenericKubernetesResource mergePatch(ApiResource r, String namespace, String name, Map<String, Object> patch) {
        String json = client.getKubernetesSerialization().asJson(patch);
        var op = client.genericKubernetesResources(r.context());
        var res = r.namespaced() ? op.inNamespace(namespace).withName(name) : op.withName(name);
        return res.patch(PatchContext.of(PatchType.JSON_MERGE), json);
    }
}
