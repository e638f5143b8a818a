package io.kedge.api.apply;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kedge.api.ApiException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The outcome of a server-side apply: the object to store, with its managedFields updated, or the conflicts that
 * stopped it (then {@code merged} is null).
 */
public record ApplyResult(ObjectNode merged, List<Conflict> conflicts) {

    public static final String CONFLICT_CAUSE = "FieldManagerConflict";

    public ApplyResult {
        conflicts = conflicts == null ? List.of() : conflicts.stream().sorted(Conflict.BY_MANAGER_THEN_PATH).toList();
        if ((merged == null) == conflicts.isEmpty()) {
            throw new IllegalArgumentException("an apply result holds either a merged object or conflicts");
        }
    }

    public boolean hasConflicts() {
        return !conflicts.isEmpty();
    }

    /**
     * Upstream's wording: {@code Apply failed with 1 conflict: conflict with "x" using apps/v1: .spec.replicas}, or
     * for several, the conflicts grouped by manager, one {@code - path} line each.
     */
    public String conflictMessage() {
        if (conflicts.isEmpty()) return "";
        if (conflicts.size() == 1) {
            Conflict c = conflicts.get(0);
            return "Apply failed with 1 conflict: " + c.message() + ": " + c.field();
        }
        Map<String, List<String>> byOwner = new LinkedHashMap<>();
        for (Conflict c : conflicts) {
            byOwner.computeIfAbsent(c.owner(), k -> new ArrayList<>()).add(c.field());
        }
        List<String> lines = new ArrayList<>();
        byOwner.forEach((owner, fields) -> {
            lines.add("conflicts with " + owner + ":");
            fields.forEach(f -> lines.add("- " + f));
        });
        return "Apply failed with " + conflicts.size() + " conflicts: " + String.join("\n", lines);
    }

    /** The 409 the API server answers with: reason Conflict, one {@code FieldManagerConflict} cause per field. */
    public ApiException toApiException() {
        if (conflicts.isEmpty()) {
            throw new IllegalStateException("this apply succeeded; there is no conflict to report");
        }
        List<ApiException.Cause> causes = conflicts.stream()
                .map(c -> new ApiException.Cause(CONFLICT_CAUSE, c.message(), c.field()))
                .toList();
        return ApiException.conflictWithCauses(null, null, null, conflictMessage(), causes);
    }
}
