package io.kedge.apiserver.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kedge.api.ApiException;
import io.kedge.api.Json;
import io.kedge.api.Meta;
import io.kedge.api.apply.ListTypes;
import io.kedge.api.apply.ManagedFieldsTracker;
import io.kedge.api.patch.BuiltinPatchSchemas;
import io.kedge.api.validation.FieldError;
import io.kedge.store.KeyValue;
import io.kedge.store.KvStore;
import io.kedge.store.StoreException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.UnaryOperator;

/**
 * Create, read, update and delete for every resource type, against the store. What differs between
 * kinds lives in their {@link Strategy}; what must hold for all of them lives here.
 */
public final class GenericRegistry {
    private static final int MAX_RETRIES = 16;
    private static final String NAME_CHARS = "bcdfghjklmnpqrstvwxz2456789";
    private static final List<String> SERVER_OWNED = List.of("uid", "creationTimestamp", "deletionTimestamp",
            "deletionGracePeriodSeconds", "generation", "resourceVersion", "selfLink");

    private final KvStore store;
    private final Admission admission;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    public GenericRegistry(KvStore store, Admission admission, Clock clock) {
        this.store = store;
        this.admission = admission;
        this.clock = clock;
    }

    /** The outcome of a write: the object as stored, and whether a new object was created. */
    public record Written(ObjectNode object, boolean created) {}

    public Optional<ObjectNode> get(ResourceType t, String namespace, String name) {
        return store.get(t.key(namespace, name)).map(GenericRegistry::decode);
    }

    public ObjectNode getOrThrow(ResourceType t, String namespace, String name) {
        return get(t, namespace, name).orElseThrow(() -> ApiException.notFound(t.group(), t.plural(), name));
    }

    public Written create(ResourceType t, String namespace, ObjectNode obj, WriteOptions opts) {
        checkKind(t, obj);
        ObjectNode meta = Meta.metadata(obj);
        bindNamespace(t, namespace, obj);
        SERVER_OWNED.forEach(meta::remove);
        Strategy s = t.strategy();
        boolean generated = !meta.hasNonNull("name") && meta.hasNonNull("generateName");
        if (generated) {
            meta.put("name", meta.get("generateName").asText() + suffix());
        }
        s.prepareForCreate(obj);
        s.applyDefaults(obj);
        admission.admitCreate(t, obj, opts);
        trackManagedFields(t, null, obj, opts, null);
        try {
            meta.put("uid", UUID.randomUUID().toString());
            meta.put("creationTimestamp", Meta.timestamp(clock.instant()));
            meta.put("generation", 1);
            s.prepareCreated(obj);
            checkValid(t, obj, s.validateCreate(obj));
            if (opts.dryRun()) {
                s.afterDelete(obj);
                return new Written(obj, true);
            }
            for (int attempt = 0; ; attempt++) {
                try {
                    long rev = store.create(t.key(Meta.namespace(obj), Meta.name(obj)), Json.bytes(obj));
                    meta.put("resourceVersion", Long.toString(rev));
                    return new Written(obj, true);
                } catch (StoreException.KeyExists e) {
                    if (!generated || attempt >= 8) {
                        throw ApiException.alreadyExists(t.group(), t.plural(), Meta.name(obj));
                    }
                    meta.put("name", meta.get("generateName").asText() + suffix());
                }
            }
        } catch (RuntimeException e) {
            s.afterDelete(obj);
            throw e;
        }
    }

    /**
     * Replaces an object with what {@code change} makes of the current one. Without a resourceVersion
     * precondition in the result, a concurrent write is retried on the newer object.
     */
    public Written update(ResourceType t, String namespace, String name, String subresource,
                          UnaryOperator<ObjectNode> change, ObjectNode createIfMissing, WriteOptions opts) {
        String key = t.key(namespace, name);
        for (int attempt = 0; attempt < MAX_RETRIES; attempt++) {
            Optional<KeyValue> current = store.get(key);
            if (current.isEmpty()) {
                if (createIfMissing != null && t.strategy().allowCreateOnUpdate() && subresource == null) {
                    String rv = Meta.resourceVersion(createIfMissing);
                    if (rv != null && !rv.isEmpty()) {
                        throw ApiException.notFound(t.group(), t.plural(), name);
                    }
                    try {
                        return create(t, namespace, createIfMissing, opts);
                    } catch (ApiException e) {
                        if (e.code() == 409 && "AlreadyExists".equals(e.reason())) {
                            continue;
                        }
                        throw e;
                    }
                }
                throw ApiException.notFound(t.group(), t.plural(), name);
            }
            KeyValue kv = current.get();
            ObjectNode old = decode(kv);
            ObjectNode obj = change.apply(old.deepCopy());
            checkKind(t, obj);
            String wanted = Meta.resourceVersion(obj);
            boolean conditional = wanted != null && !wanted.isEmpty();
            if (conditional && !wanted.equals(Long.toString(kv.modRevision()))) {
                throw conflict(t, name);
            }
            checkIdentity(t, namespace, name, obj);
            prepareUpdate(t, obj, old, subresource);
            if (subresource == null) {
                t.strategy().applyDefaults(obj);
            }
            admission.admitUpdate(t, obj, old, opts);
            trackManagedFields(t, old, obj, opts, subresource);
            if (!"binding".equals(subresource)) {
                // binding is the one write that may set spec.nodeName, which pod update validation forbids
                checkValid(t, obj, t.strategy().validateUpdate(obj, old));
            }
            bumpGeneration(t, obj, old);
            if (Meta.isDeleting(obj) && !t.strategy().deletionBlocked(obj)) {
                if (opts.dryRun()) {
                    return new Written(obj, false);
                }
                try {
                    long rev = store.delete(key, kv.modRevision());
                    Meta.metadata(obj).put("resourceVersion", Long.toString(rev));
                    t.strategy().afterDelete(obj);
                    return new Written(obj, false);
                } catch (StoreException.NotFound | StoreException.Conflict e) {
                    if (conditional) throw conflict(t, name);
                    continue;
                }
            }
            Meta.metadata(obj).remove("resourceVersion");
            Meta.metadata(old).remove("resourceVersion");
            if (obj.equals(old) || opts.dryRun()) {
                Meta.metadata(obj).put("resourceVersion", Long.toString(kv.modRevision()));
                return new Written(obj, false);
            }
            try {
                long rev = store.update(key, Json.bytes(obj), kv.modRevision());
                Meta.metadata(obj).put("resourceVersion", Long.toString(rev));
                return new Written(obj, false);
            } catch (StoreException.Conflict | StoreException.NotFound e) {
                if (conditional) {
                    throw conflict(t, name);
                }
            }
        }
        throw ApiException.conflict(t.group(), t.plural(), name, "too many concurrent writers, try again");
    }

    /** @return the object as it is after the request: gone (with its last state) or still being deleted. */
    public DeleteResult delete(ResourceType t, String namespace, String name, DeleteOptions opts) {
        String key = t.key(namespace, name);
        Strategy s = t.strategy();
        for (int attempt = 0; attempt < MAX_RETRIES; attempt++) {
            KeyValue kv = store.get(key).orElseThrow(() -> ApiException.notFound(t.group(), t.plural(), name));
            ObjectNode obj = decode(kv);
            if (opts.preconditionUid() != null && !opts.preconditionUid().equals(Meta.uid(obj))) {
                throw ApiException.conflict(t.group(), t.plural(), name, "Precondition failed: UID in precondition: "
                        + opts.preconditionUid() + ", UID in object meta: " + Meta.uid(obj));
            }
            if (opts.preconditionResourceVersion() != null
                    && !opts.preconditionResourceVersion().equals(Meta.resourceVersion(obj))) {
                throw ApiException.conflict(t.group(), t.plural(), name, "Precondition failed: ResourceVersion in precondition: "
                        + opts.preconditionResourceVersion() + ", ResourceVersion in object meta: " + Meta.resourceVersion(obj));
            }
            admission.admitDelete(t, obj);
            ObjectNode meta = Meta.metadata(obj);
            addPropagationFinalizer(meta, opts.propagationPolicy());
            long grace = s.gracePeriodSeconds(obj, opts.gracePeriodSeconds());
            boolean alreadyDeleting = Meta.isDeleting(obj);
            if (grace > 0) {
                long current = meta.path("deletionGracePeriodSeconds").asLong(Long.MAX_VALUE);
                if (!alreadyDeleting || grace < current) {
                    meta.put("deletionTimestamp", Meta.timestamp(clock.instant().plusSeconds(grace)));
                    meta.put("deletionGracePeriodSeconds", grace);
                }
            } else {
                meta.remove("deletionGracePeriodSeconds");
                if (!alreadyDeleting) {
                    meta.put("deletionTimestamp", Meta.timestamp(clock.instant()));
                }
            }
            s.prepareForDelete(obj);
            if (s.deletionBlocked(obj)) {
                if (opts.dryRun() || obj.equals(decode(kv))) {
                    return new DeleteResult(obj, false);
                }
                meta.remove("resourceVersion");
                try {
                    long rev = store.update(key, Json.bytes(obj), kv.modRevision());
                    meta.put("resourceVersion", Long.toString(rev));
                    return new DeleteResult(obj, false);
                } catch (StoreException.Conflict | StoreException.NotFound e) {
                    continue;
                }
            }
            if (opts.dryRun()) {
                return new DeleteResult(obj, true);
            }
            try {
                long rev = store.delete(key, kv.modRevision());
                meta.put("resourceVersion", Long.toString(rev));
                s.afterDelete(obj);
                return new DeleteResult(obj, true);
            } catch (StoreException.Conflict e) {
                // changed under us: look again
            } catch (StoreException.NotFound e) {
                throw ApiException.notFound(t.group(), t.plural(), name);
            }
        }
        throw ApiException.conflict(t.group(), t.plural(), name, "too many concurrent writers, try again");
    }

    public record DeleteResult(ObjectNode object, boolean gone) {}

    private static void addPropagationFinalizer(ObjectNode meta, String policy) {
        String finalizer = "Orphan".equals(policy) ? "orphan" : "Foreground".equals(policy) ? "foregroundDeletion" : null;
        if (finalizer == null) {
            return;
        }
        ArrayNode f = meta.has("finalizers") && meta.get("finalizers").isArray()
                ? (ArrayNode) meta.get("finalizers") : meta.putArray("finalizers");
        for (JsonNode n : f) {
            if (n.asText().equals(finalizer)) return;
        }
        f.add(finalizer);
    }

    private void prepareUpdate(ResourceType t, ObjectNode obj, ObjectNode old, String subresource) {
        ObjectNode meta = Meta.metadata(obj);
        JsonNode oldMeta = old.get("metadata");
        for (String f : List.of("uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "generation")) {
            if (oldMeta.has(f)) {
                meta.set(f, oldMeta.get(f).deepCopy());
            } else {
                meta.remove(f);
            }
        }
        meta.remove("selfLink");
        if (Meta.isDeleting(old)) {
            // a finalizer may be removed from a deleting object, never added
            keepOnlyOldFinalizers(meta, oldMeta);
        }
        t.strategy().prepareForUpdate(obj, old, subresource);
    }

    /** Records which manager now owns the fields this write changed; applies have done it already. */
    private void trackManagedFields(ResourceType t, ObjectNode old, ObjectNode obj, WriteOptions opts, String subresource) {
        if (opts.apply()) {
            return;
        }
        ListTypes lists = ListTypes.fromPatchSchema(BuiltinPatchSchemas.forKind(t.apiVersion(), t.kind()));
        ManagedFieldsTracker.update(old, obj, opts.fieldManager(), "Update", t.apiVersion(), subresource, lists,
                clock.instant());
    }

    private static void keepOnlyOldFinalizers(ObjectNode meta, JsonNode oldMeta) {
        JsonNode now = meta.get("finalizers");
        if (now == null || !now.isArray()) return;
        List<String> allowed = new ArrayList<>();
        oldMeta.path("finalizers").forEach(n -> allowed.add(n.asText()));
        Iterator<JsonNode> it = now.elements();
        while (it.hasNext()) {
            if (!allowed.contains(it.next().asText())) it.remove();
        }
    }

    private static void bumpGeneration(ResourceType t, ObjectNode obj, ObjectNode old) {
        boolean changed = false;
        Iterator<Map.Entry<String, JsonNode>> fields = obj.fields();
        while (fields.hasNext() && !changed) {
            Map.Entry<String, JsonNode> e = fields.next();
            if (!isMetaOrStatus(t, e.getKey())) {
                changed = !e.getValue().equals(old.get(e.getKey()));
            }
        }
        Iterator<String> oldNames = old.fieldNames();
        while (oldNames.hasNext() && !changed) {
            String f = oldNames.next();
            changed = !isMetaOrStatus(t, f) && !obj.has(f);
        }
        if (changed) {
            Meta.metadata(obj).put("generation", old.path("metadata").path("generation").asLong(1) + 1);
        }
    }

    private static boolean isMetaOrStatus(ResourceType t, String field) {
        return field.equals("metadata") || field.equals("apiVersion") || field.equals("kind")
                || (field.equals("status") && t.strategy().hasStatusSubresource());
    }

    private static void checkKind(ResourceType t, ObjectNode obj) {
        String kind = Meta.text(obj, "kind");
        String apiVersion = Meta.text(obj, "apiVersion");
        if (kind != null && !kind.isEmpty() && !kind.equals(t.kind())) {
            throw ApiException.badRequest("the kind \"" + kind + "\" of the body does not match the URL's resource "
                    + t.groupResource() + " (kind \"" + t.kind() + "\")");
        }
        if (apiVersion != null && !apiVersion.isEmpty() && !apiVersion.equals(t.apiVersion())) {
            throw ApiException.badRequest("the apiVersion \"" + apiVersion + "\" of the body does not match the URL's \""
                    + t.apiVersion() + "\"");
        }
        obj.put("apiVersion", t.apiVersion());
        obj.put("kind", t.kind());
    }

    private static void bindNamespace(ResourceType t, String namespace, ObjectNode obj) {
        ObjectNode meta = Meta.metadata(obj);
        String inBody = Meta.text(meta, "namespace");
        if (!t.namespaced()) {
            meta.remove("namespace");
            return;
        }
        if (inBody != null && !inBody.isEmpty() && !inBody.equals(namespace)) {
            throw ApiException.badRequest("the namespace of the provided object (" + inBody
                    + ") does not match the namespace sent on the request (" + namespace + ")");
        }
        meta.put("namespace", namespace);
    }

    private static void checkIdentity(ResourceType t, String namespace, String name, ObjectNode obj) {
        String bodyName = Meta.name(obj);
        if (bodyName != null && !bodyName.isEmpty() && !bodyName.equals(name)) {
            throw ApiException.badRequest("the name of the object (" + bodyName
                    + ") does not match the name on the URL (" + name + ")");
        }
        Meta.metadata(obj).put("name", name);
        bindNamespace(t, namespace, obj);
    }

    private static void checkValid(ResourceType t, ObjectNode obj, List<FieldError> errors) {
        if (errors.isEmpty()) {
            return;
        }
        List<ApiException.Cause> causes = new ArrayList<>();
        for (FieldError e : errors) {
            causes.add(new ApiException.Cause(e.causeReason(), e.message(), e.field()));
        }
        String name = Meta.name(obj);
        throw ApiException.invalid(t.group(), t.kind(), name == null ? "" : name, causes);
    }

    private static ApiException conflict(ResourceType t, String name) {
        return ApiException.conflict(t.group(), t.plural(), name,
                "the object has been modified; please apply your changes to the latest version and try again");
    }

    private String suffix() {
        StringBuilder sb = new StringBuilder(5);
        for (int i = 0; i < 5; i++) {
            sb.append(NAME_CHARS.charAt(random.nextInt(NAME_CHARS.length())));
        }
        return sb.toString();
    }

    static ObjectNode decode(KeyValue kv) {
        ObjectNode obj = Json.trusted(kv.value());
        Meta.metadata(obj).put("resourceVersion", Long.toString(kv.modRevision()));
        return obj;
    }

    public Instant now() {
        return clock.instant();
    }
}
