package io.kedge.controllers.lifecycle;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReference;
import java.util.List;
import java.util.Set;

/**
 * What the garbage collector keeps of one object: who it is, whom it names as owners, and whether
 * it is being deleted with one of the collector's finalizers. {@code source} names the resource
 * ("apps/replicasets", "/pods") whose informer or sweep reported it.
 */
record GraphNode(String apiVersion, String kind, String namespace, String name, String uid,
                 List<OwnerReference> owners, Set<String> finalizers, boolean deleting, String source) {
    static final String ORPHAN = "orphan";
    static final String FOREGROUND = "foregroundDeletion";

    static GraphNode of(HasMetadata o, String source) {
        ObjectMeta m = o.getMetadata();
        String apiVersion = o.getApiVersion() != null ? o.getApiVersion() : HasMetadata.getApiVersion(o.getClass());
        String kind = o.getKind() != null ? o.getKind() : HasMetadata.getKind(o.getClass());
        String ns = m.getNamespace() == null || m.getNamespace().isEmpty() ? null : m.getNamespace();
        return new GraphNode(apiVersion, kind, ns, m.getName(), m.getUid(), usableOwners(m.getOwnerReferences()),
                m.getFinalizers() == null ? Set.of() : Set.copyOf(m.getFinalizers()),
                m.getDeletionTimestamp() != null, source);
    }

    /** References the server would have rejected (no uid, kind, name or apiVersion) can decide nothing. */
    private static List<OwnerReference> usableOwners(List<OwnerReference> refs) {
        if (refs == null) {
            return List.of();
        }
        return refs.stream().filter(r -> present(r.getUid()) && present(r.getKind()) && present(r.getName())
                && present(r.getApiVersion())).toList();
    }

    private static boolean present(String s) {
        return s != null && !s.isEmpty();
    }

    static String source(String group, String plural) {
        return group + "/" + plural;
    }

    /** Foreground deletion: the object waits for its blocking dependents to go first. */
    boolean deletingDependents() {
        return deleting && finalizers.contains(FOREGROUND);
    }

    /** Orphan deletion: the object waits until its dependents no longer name it. */
    boolean orphaning() {
        return deleting && finalizers.contains(ORPHAN);
    }

    OwnerReference ownerRef(String ownerUid) {
        for (OwnerReference r : owners) {
            if (ownerUid.equals(r.getUid())) {
                return r;
            }
        }
        return null;
    }

    /** Whether the collector's decisions about this object could differ from {@code other}'s. */
    boolean sameAs(GraphNode other) {
        return other != null && owners.equals(other.owners) && finalizers.equals(other.finalizers)
                && deleting == other.deleting && name.equals(other.name);
    }

    String describe() {
        return kind + " " + (namespace == null ? "" : namespace + "/") + name + " (uid " + uid + ")";
    }
}
