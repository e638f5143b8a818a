package io.kedge.api.apply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kedge.api.ApiException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Records field ownership for ordinary writes (create, update, patch): the writing manager comes to own every
 * field it added or changed, other managers lose those fields, removed fields lose all their owners, and fields
 * the write left alone keep theirs.
 */
public final class ManagedFieldsTracker {

    /** Upstream keeps at most this many Update entries, folding older ones into {@code ancient-changes}. */
    static final int MAX_UPDATE_MANAGERS = 10;

    private ManagedFieldsTracker() {}

    /** {@link #update(ObjectNode, ObjectNode, String, String, String, String, ListTypes, Instant)} on the main resource. */
    public static ObjectNode update(ObjectNode oldObj, ObjectNode newObj, String manager, String operation,
                                    String apiVersion, ListTypes lists, Instant now) {
        return update(oldObj, newObj, manager, operation, apiVersion, null, lists, now);
    }

    /**
     * Sets {@code newObj}'s {@code metadata.managedFields} for a write by {@code manager} and returns {@code newObj}.
     *
     * <p>The entries to start from are, as upstream: the ones {@code newObj} carries, when it carries readable
     * ones and the write is to the main resource; none, when {@code newObj} asks for a reset ({@code []} or
     * {@code [{}]}); otherwise the stored object's.
     *
     * @param oldObj      the stored object, or null on create
     * @param operation   {@code "Update"}; ordinary writes are never applies
     * @param subresource the subresource written ({@code "status"}, {@code "scale"}), or null for the main resource
     * @throws ApiException 422 when {@code manager} is not a valid field manager name
     */
    public static ObjectNode update(ObjectNode oldObj, ObjectNode newObj, String manager, String operation,
                                    String apiVersion, String subresource, ListTypes lists, Instant now) {
        Objects.requireNonNull(newObj, "newObj");
        Objects.requireNonNull(lists, "lists (use ListTypes.none() when no list is declared)");
        Objects.requireNonNull(now, "now");
        if (!ManagedFieldsEntry.UPDATE.equals(operation)) {
            throw new IllegalArgumentException("ordinary writes record operation \"Update\", got "
                    + (operation == null ? "nothing" : "\"" + operation + "\"") + "; applies go through ServerSideApply");
        }
        FieldManagers.validate(manager, false);
        TrackedScope scope = TrackedScope.of(subresource);
        List<ManagedFieldsEntry> base = startingEntries(oldObj, newObj, scope);
        ObjectNode before = oldObj == null ? JsonNodeFactory.instance.objectNode() : ManagedFields.withoutManagedFields(oldObj);
        ObjectNode after = ManagedFields.withoutManagedFields(newObj);
        String version = apiVersion != null ? apiVersion : textOrEmpty(newObj.get("apiVersion"));
        List<ManagedFieldsEntry> entries = record(base, before, after, manager == null ? "" : manager, version,
                scope, lists, now);
        ManagedFields.write(newObj, entries);
        return newObj;
    }

    private static List<ManagedFieldsEntry> startingEntries(ObjectNode oldObj, ObjectNode newObj, TrackedScope scope) {
        if (scope.subresource() == null) {
            if (ManagedFields.isReset(newObj)) {
                return List.of();
            }
            try {
                List<ManagedFieldsEntry> fromRequest = ManagedFields.read(newObj);
                if (!fromRequest.isEmpty()) return fromRequest;
            } catch (IllegalArgumentException unreadable) {
                // as upstream: a client that mangles managedFields must not lose the stored tracking
            }
        }
        return readStored(oldObj);
    }

    /** The stored object's entries; unreadable ones are dropped rather than blocking every later write. */
    static List<ManagedFieldsEntry> readStored(ObjectNode stored) {
        if (stored == null) return List.of();
        try {
            return ManagedFields.read(stored);
        } catch (IllegalArgumentException unreadable) {
            return List.of();
        }
    }

    /**
     * The entries after {@code manager} turned {@code before} into {@code after}; both without managedFields.
     * Shared with server-side apply, which credits an object's untracked fields to {@code before-first-apply}.
     */
    static List<ManagedFieldsEntry> record(List<ManagedFieldsEntry> entries, JsonNode before, JsonNode after,
                                           String manager, String apiVersion, TrackedScope scope, ListTypes lists,
                                           Instant now) {
        Comparison cmp = Comparison.between(before, after, lists).filtered(scope);
        FieldSet taken = cmp.addedOrModified();
        FieldSet lost = taken.union(cmp.removed());
        List<ManagedFieldsEntry> out = new ArrayList<>();
        ManagedFieldsEntry own = null;
        for (ManagedFieldsEntry e : entries) {
            if (e.sameIdentity(manager, ManagedFieldsEntry.UPDATE, apiVersion, scope.subresource())) {
                own = own == null ? e : own.withFields(own.fields().union(e.fields()));
                continue;
            }
            FieldSet left = e.fields().difference(lost);
            if (!left.isEmpty()) out.add(e.withFields(left));
        }
        FieldSet kept = own == null ? FieldSet.empty() : own.fields().difference(cmp.removed());
        if (!taken.isEmpty()) {
            // only a write that changed something moves the entry's time
            out.add(new ManagedFieldsEntry(manager, ManagedFieldsEntry.UPDATE, apiVersion, now, scope.subresource(),
                    kept.union(taken)));
        } else if (!kept.isEmpty()) {
            out.add(own.withFields(kept));
        }
        return capUpdateEntries(out);
    }

    /**
     * Folds the oldest Update entries into one {@code ancient-changes} entry per apiVersion until at most
     * {@link #MAX_UPDATE_MANAGERS} Update entries remain.
     */
    static List<ManagedFieldsEntry> capUpdateEntries(List<ManagedFieldsEntry> entries) {
        int excess = (int) entries.stream().filter(e -> !e.isApply()).count() - MAX_UPDATE_MANAGERS;
        if (excess <= 0) return entries;
        List<ManagedFieldsEntry> out = new ArrayList<>();
        Map<String, ManagedFieldsEntry> buckets = new LinkedHashMap<>();
        List<ManagedFieldsEntry> updates = new ArrayList<>();
        for (ManagedFieldsEntry e : entries) {
            if (e.isApply()) {
                out.add(e);
            } else if (isBucket(e)) {
                buckets.merge(e.apiVersion(), e, ManagedFieldsTracker::fold);
            } else {
                updates.add(e);
            }
        }
        updates.sort(Comparator.comparing((ManagedFieldsEntry e) -> e.time() == null ? 0L : e.time().getEpochSecond())
                .thenComparing(ManagedFieldsEntry::manager));
        for (ManagedFieldsEntry e : updates) {
            if (excess <= 0) {
                out.add(e);
                continue;
            }
            ManagedFieldsEntry bucket = buckets.get(e.apiVersion());
            if (bucket == null) {
                // the first of its version becomes the bucket: one entry renamed, none fewer
                buckets.put(e.apiVersion(), new ManagedFieldsEntry(FieldManagers.ANCIENT_CHANGES,
                        ManagedFieldsEntry.UPDATE, e.apiVersion(), e.time(), null, e.fields()));
            } else {
                buckets.put(e.apiVersion(), fold(bucket, e));
                excess--;
            }
        }
        out.addAll(buckets.values());
        return out;
    }

    private static boolean isBucket(ManagedFieldsEntry e) {
        return FieldManagers.ANCIENT_CHANGES.equals(e.manager()) && e.subresource() == null;
    }

    private static ManagedFieldsEntry fold(ManagedFieldsEntry bucket, ManagedFieldsEntry e) {
        return new ManagedFieldsEntry(FieldManagers.ANCIENT_CHANGES, ManagedFieldsEntry.UPDATE, bucket.apiVersion(),
                ManagedFields.newest(bucket.time(), e.time()), null, bucket.fields().union(e.fields()));
    }

    private static String textOrEmpty(JsonNode n) {
        return n == null || !n.isTextual() ? "" : n.textValue();
    }
}
