package io.kedge.api.apply;

import java.util.List;

/**
 * Which fields a write may own. Identity and bookkeeping metadata belong to nobody; a write to the main resource
 * owns nothing in {@code status}, and a write to the status subresource owns nothing outside it.
 */
final class TrackedScope {
    private static final FieldPath STATUS = FieldPath.fields("status");

    /** Whole subtrees nobody owns. */
    private static final List<FieldPath> NEVER_OWNED = List.of(
            FieldPath.fields("apiVersion"),
            FieldPath.fields("kind"),
            FieldPath.fields("metadata", "name"),
            FieldPath.fields("metadata", "namespace"),
            FieldPath.fields("metadata", "uid"),
            FieldPath.fields("metadata", "resourceVersion"),
            FieldPath.fields("metadata", "generation"),
            FieldPath.fields("metadata", "creationTimestamp"),
            FieldPath.fields("metadata", "deletionTimestamp"),
            FieldPath.fields("metadata", "deletionGracePeriodSeconds"),
            FieldPath.fields("metadata", "managedFields"),
            FieldPath.fields("metadata", "selfLink"),
            FieldPath.fields("metadata", "clusterName"));

    /** The {@code .metadata} container itself, which a create reports as added. */
    private static final FieldPath METADATA = FieldPath.fields("metadata");

    private final String subresource;

    private TrackedScope(String subresource) {
        this.subresource = subresource;
    }

    /** The scope of a write to {@code subresource}; null or empty for the main resource. */
    static TrackedScope of(String subresource) {
        return new TrackedScope(subresource == null || subresource.isEmpty() ? null : subresource);
    }

    /** The subresource as a managedFields entry records it; null for the main resource. */
    String subresource() {
        return subresource;
    }

    boolean isStatus() {
        return "status".equals(subresource);
    }

    FieldSet filter(FieldSet set) {
        FieldSet out = isStatus() ? set.onlySubtree(STATUS) : set.withoutSubtree(STATUS);
        for (FieldPath p : NEVER_OWNED) {
            out = out.withoutSubtree(p);
        }
        return out.difference(FieldSet.of(METADATA));
    }
}
