package io.kedge.api.apply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kedge.api.ApiException;
import io.kedge.api.Json;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Server-side apply ({@code PATCH} with {@code application/apply-patch+yaml}): merges an applied configuration
 * into the live object and keeps {@code metadata.managedFields} up to date, refusing to change fields other
 * managers own unless forced.
 */
public final class ServerSideApply {

    static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";
    private static final String KUBECTL = "kubectl";

    private ServerSideApply() {}

    /** {@link #apply(ObjectNode, ObjectNode, String, boolean, ListTypes, Instant, String)} on the main resource. */
    public static ApplyResult apply(ObjectNode live, ObjectNode applied, String manager, boolean force,
                                    ListTypes lists, Instant now) {
        return apply(live, applied, manager, force, lists, now, null);
    }

    /**
     * Applies {@code applied} for {@code manager}.
     *
     * <p>Fields this manager applied last time and leaves out now are removed, unless another manager owns them.
     * A field the configuration changes and another manager owns is a conflict, unless {@code force}, which moves
     * it to this manager. As upstream, the manager {@code kubectl} may take over fields whose values still match
     * the client-side {@code last-applied-configuration} annotation, and keeps that annotation in step when the
     * object has one.
     *
     * @param live        the stored object, or null when the apply creates it
     * @param subresource {@code "status"} to apply to the status subresource; null for the main resource
     * @return the object to store, with managedFields updated, or the conflicts
     * @throws ApiException 400 for a configuration that cannot be applied, 422 for an invalid manager name
     */
    public static ApplyResult apply(ObjectNode live, ObjectNode applied, String manager, boolean force,
                                    ListTypes lists, Instant now, String subresource) {
        FieldManagers.validate(manager, true);
        Objects.requireNonNull(lists, "lists (use ListTypes.none() when no list is declared)");
        Objects.requireNonNull(now, "now");
        String apiVersion = validated(applied);
        TrackedScope scope = TrackedScope.of(subresource);

        ObjectNode before = live == null ? JsonNodeFactory.instance.objectNode() : ManagedFields.withoutManagedFields(live);
        List<ManagedFieldsEntry> entries = ManagedFieldsTracker.readStored(live);
        if (live != null && entries.isEmpty()) {
            entries = ManagedFieldsTracker.record(List.of(), JsonNodeFactory.instance.objectNode(), before,
                    FieldManagers.BEFORE_FIRST_APPLY, apiVersion, scope, lists, now);
        }
        ObjectNode config = scoped(applied, scope);
        ApplyResult result = merge(before, config, entries, manager, apiVersion, scope, lists, now, force);
        if (result.hasConflicts() && !force && KUBECTL.equals(manager)
                && onlyClientSideFields(result.conflicts(), before, lists)) {
            result = merge(before, config, entries, manager, apiVersion, scope, lists, now, true);
        }
        if (!result.hasConflicts() && KUBECTL.equals(manager)) {
            syncLastApplied(result.merged(), applied);
        }
        return result;
    }

    private static ApplyResult merge(ObjectNode before, ObjectNode config, List<ManagedFieldsEntry> entries,
                                     String manager, String apiVersion, TrackedScope scope, ListTypes lists,
                                     Instant now, boolean force) {
        FieldSet configSet = scope.filter(FieldSet.fromObject(config, lists));
        ManagedFieldsEntry previous = null;
        List<ManagedFieldsEntry> others = new ArrayList<>();
        for (ManagedFieldsEntry e : entries) {
            if (e.sameIdentity(manager, ManagedFieldsEntry.APPLY, apiVersion, scope.subresource())) {
                previous = e;
            } else {
                others.add(e);
            }
        }

        ObjectNode merged = ObjectMerge.merge(before, config, lists);
        FieldSet ownedNow = configSet;
        for (ManagedFieldsEntry e : others) {
            ownedNow = ownedNow.union(e.fields());
        }
        if (previous != null) {
            Pruner.prune(merged, previous.fields().difference(ownedNow), ownedNow, lists);
        }

        Comparison cmp = Comparison.between(before, merged, lists).filtered(scope);
        // a field the configuration sets to null is gone from the object, but was still changed by this applier
        FieldSet contested = cmp.addedOrModified().union(cmp.removed().intersection(configSet));
        List<Conflict> conflicts = new ArrayList<>();
        for (ManagedFieldsEntry e : others) {
            e.fields().intersection(contested).paths().forEach(p -> conflicts.add(Conflict.with(e, p)));
        }
        if (!conflicts.isEmpty() && !force) {
            return new ApplyResult(null, conflicts);
        }

        List<ManagedFieldsEntry> after = new ArrayList<>();
        for (ManagedFieldsEntry e : others) {
            FieldSet left = e.fields().difference(contested).difference(cmp.removed());
            if (!left.isEmpty()) after.add(e.withFields(left));
        }
        if (!configSet.isEmpty()) {
            boolean unchanged = previous != null && previous.fields().equals(configSet)
                    && previous.apiVersion().equals(apiVersion) && JsonEquality.equal(before, merged);
            after.add(new ManagedFieldsEntry(manager, ManagedFieldsEntry.APPLY, apiVersion,
                    unchanged ? previous.time() : now, scope.subresource(), configSet));
        }
        ManagedFields.write(merged, after);
        return new ApplyResult(merged, List.of());
    }

    /** The apiVersion of a configuration fit to apply. */
    private static String validated(ObjectNode applied) {
        if (applied == null) {
            throw ApiException.badRequest("the apply configuration is empty");
        }
        JsonNode managedFields = applied.path("metadata").get("managedFields");
        if (managedFields != null && !managedFields.isNull()) {
            throw ApiException.badRequest("metadata.managedFields must be nil");
        }
        JsonNode apiVersion = applied.get("apiVersion");
        JsonNode kind = applied.get("kind");
        if (apiVersion == null || !apiVersion.isTextual() || apiVersion.textValue().isEmpty()
                || kind == null || !kind.isTextual() || kind.textValue().isEmpty()) {
            throw ApiException.badRequest("an apply configuration must set apiVersion and kind as strings");
        }
        JsonNode metadata = applied.get("metadata");
        if (metadata != null && !metadata.isNull() && !metadata.isObject()) {
            throw ApiException.badRequest("metadata of an apply configuration must be an object");
        }
        return apiVersion.textValue();
    }

    /**
     * The part of the configuration this write may touch: everything but {@code status} on the main resource,
     * only {@code status} (with the identifying fields) on the status subresource.
     */
    private static ObjectNode scoped(ObjectNode applied, TrackedScope scope) {
        ObjectNode config = applied.deepCopy();
        if (!scope.isStatus()) {
            config.remove("status");
            return config;
        }
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        for (String keep : List.of("apiVersion", "kind", "status")) {
            if (config.has(keep)) out.set(keep, config.get(keep));
        }
        if (config.get("metadata") instanceof ObjectNode m) {
            ObjectNode meta = out.putObject("metadata");
            for (String keep : List.of("name", "namespace")) {
                if (m.has(keep)) meta.set(keep, m.get(keep));
            }
        }
        return out;
    }

    /**
     * Upstream's upgrade path from client-side apply: every conflicting field still holds the value the
     * {@code last-applied-configuration} annotation records, so the fields were the same user's all along.
     */
    private static boolean onlyClientSideFields(List<Conflict> conflicts, ObjectNode live, ListTypes lists) {
        ObjectNode lastApplied = lastApplied(live);
        if (lastApplied == null) return false;
        Comparison drift = Comparison.between(lastApplied, live, lists);
        FieldSet stillApplied = FieldSet.fromObject(lastApplied, lists)
                .difference(drift.modified()).difference(drift.added()).difference(drift.removed());
        return conflicts.stream().allMatch(c -> stillApplied.contains(c.path()));
    }

    private static ObjectNode lastApplied(ObjectNode live) {
        JsonNode text = live.path("metadata").path("annotations").get(LAST_APPLIED);
        if (text == null || !text.isTextual() || text.textValue().isEmpty()) return null;
        try {
            return Json.MAPPER.readTree(text.textValue()) instanceof ObjectNode o ? o : null;
        } catch (java.io.IOException unreadable) {
            return null;
        }
    }

    /** Keeps a client-side apply annotation, when the object has one, equal to what was applied last. */
    private static void syncLastApplied(ObjectNode merged, ObjectNode applied) {
        if (!(merged.path("metadata").path("annotations") instanceof ObjectNode annotations)
                || !annotations.has(LAST_APPLIED)) {
            return;
        }
        ObjectNode recorded = applied.deepCopy();
        if (recorded.path("metadata").path("annotations") instanceof ObjectNode own) {
            own.remove(LAST_APPLIED);
            if (own.isEmpty() && recorded.get("metadata") instanceof ObjectNode m) m.remove("annotations");
        }
        annotations.put(LAST_APPLIED, Json.string(recorded));
    }
}
