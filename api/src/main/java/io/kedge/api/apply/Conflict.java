package io.kedge.api.apply;

import java.util.Comparator;
import java.util.Objects;

/**
 * A field the applier wants to change that another manager owns.
 *
 * @param subresource the other manager's subresource, or null for the main resource
 */
public record Conflict(String manager, String operation, String apiVersion, String subresource, FieldPath path) {

    static final Comparator<Conflict> BY_MANAGER_THEN_PATH = Comparator
            .comparing(Conflict::manager)
            .thenComparing(Conflict::operation)
            .thenComparing(Conflict::apiVersion)
            .thenComparing(c -> c.subresource() == null ? "" : c.subresource())
            .thenComparing(Conflict::path);

    public Conflict {
        Objects.requireNonNull(manager, "manager");
        Objects.requireNonNull(operation, "operation");
        apiVersion = apiVersion == null ? "" : apiVersion;
        Objects.requireNonNull(path, "path");
    }

    static Conflict with(ManagedFieldsEntry owner, FieldPath path) {
        return new Conflict(owner.manager(), owner.operation(), owner.apiVersion(), owner.subresource(), path);
    }

    /** The conflicting field as upstream prints it, e.g. {@code .spec.replicas}: a cause's {@code field}. */
    public String field() {
        return path.toString();
    }

    /** A cause's {@code message}: {@code conflict with "kubectl-client-side-apply" using apps/v1}. */
    public String message() {
        return "conflict with " + owner();
    }

    /**
     * The other manager as upstream names it: quoted, then its subresource, then for an Update the apiVersion it
     * wrote with.
     */
    public String owner() {
        StringBuilder out = new StringBuilder(CanonicalJson.quoted(manager));
        if (subresource != null && !subresource.isEmpty()) {
            out.append(" with subresource ").append(CanonicalJson.quoted(subresource));
        }
        if (ManagedFieldsEntry.UPDATE.equals(operation)) {
            out.append(" using ").append(apiVersion);
        }
        return out.toString();
    }
}
