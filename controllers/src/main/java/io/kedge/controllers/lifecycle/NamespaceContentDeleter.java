package io.kedge.controllers.lifecycle;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Deletes everything in a namespace, of every namespaced resource the server serves (custom
 * resources included), and reports what remains. Pods bound to a node only get a deletion
 * timestamp here; their node confirms, and a later pass sees them gone.
 */
final class NamespaceContentDeleter {
    private final ApiResourceCatalog catalog;
    private final GenericObjects objects;

    NamespaceContentDeleter(ApiResourceCatalog catalog, GenericObjects objects) {
        this.catalog = catalog;
        this.objects = objects;
    }

    ContentDeletion deleteAll(String namespace) {
        ApiResourceCatalog.Snapshot discovery = catalog.current();
        List<String> deleteFailures = new ArrayList<>();
        Map<String, Integer> remaining = new TreeMap<>();
        Map<String, Integer> finalizers = new TreeMap<>();
        for (ApiResource r : discovery.preferred()) {
            if (!r.namespaced() || !r.supports("delete") || !r.supports("list")) {
                continue;
            }
            try {
                List<GenericKubernetesResource> left = deleteResource(r, namespace);
                if (!left.isEmpty()) {
                    remaining.merge(r.plural() + "." + r.group(), left.size(), Integer::sum);
                    for (GenericKubernetesResource o : left) {
                        for (String f : o.getMetadata().getFinalizers()) {
                            finalizers.merge(f, 1, Integer::sum);
                        }
                    }
                }
            } catch (KubernetesClientException e) {
                if (e.getCode() == 404 || e.getCode() == 405) {
                    continue; // listed in discovery but not really served: nothing of it can exist
                }
                deleteFailures.add("Failed to delete " + r.groupResource() + ": " + e.getMessage());
            }
        }
        return new ContentDeletion(discovery.failures(), deleteFailures, remaining, finalizers);
    }

    /** @return what is left of the resource in the namespace after the deletes */
    private List<GenericKubernetesResource> deleteResource(ApiResource r, String namespace) {
        List<GenericKubernetesResource> items = objects.list(r, namespace);
        if (items.isEmpty()) {
            return items;
        }
        List<GenericKubernetesResource> notYetDeleting = items.stream()
                .filter(o -> o.getMetadata().getDeletionTimestamp() == null).toList();
        if (!notYetDeleting.isEmpty()) {
            // Background: dependents elsewhere are the garbage collector's; everything here goes anyway
            if (r.supports("deletecollection")) {
                objects.deleteCollection(r, namespace, "Background");
            } else {
                for (GenericKubernetesResource o : notYetDeleting) {
                    objects.delete(r, namespace, o.getMetadata().getName(), null, null, "Background");
                }
            }
            items = objects.list(r, namespace);
        }
        return items;
    }
}
