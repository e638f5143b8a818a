package io.kedge.api.validation;

import com.fasterxml.jackson.databind.JsonNode;
import io.kedge.api.validation.builtin.BuiltinKinds;

/**
 * Defaulting and validation of the built-in kinds, looked up by API group ("" for the core group) and
 * kind. Unknown kinds (custom resources among them) get no defaults and metadata-only validation.
 *
 * <p>Order on create: {@link #defaulter} → server assigns name (generateName), uid, creationTimestamp →
 * {@link #createPreparer} → {@link ObjectValidator#validateCreate}. On update: {@link #defaulter} →
 * {@link #updatePreparer} → {@link ObjectValidator#validateUpdate}.
 */
public final class BuiltinStrategies {
    private BuiltinStrategies() {}

    public static ObjectDefaulter defaulter(String group, String kind) {
        ObjectDefaulter d = strategy(group, kind).defaulter();
        return object -> {
            requireObject(object);
            d.apply(object);
        };
    }

    public static ObjectValidator validator(String group, String kind, boolean namespaced) {
        KindStrategy s = strategy(group, kind);
        return new KindValidator(new MetadataValidator(NameRules.forKind(group, kind), namespaced), s.rules());
    }

    /** Create-only preparation, run after the server assigned name and uid and before validation. */
    public static ObjectDefaulter createPreparer(String group, String kind) {
        ObjectDefaulter d = strategy(group, kind).createPreparer();
        return object -> {
            requireObject(object);
            d.apply(object);
        };
    }

    /**
     * Update preparation, run before validation: keeps uid and creationTimestamp from the stored object
     * (upstream ignores a client's changes to those) plus the kind's own carry-overs.
     */
    public static UpdatePreparer updatePreparer(String group, String kind) {
        UpdatePreparer d = strategy(group, kind).updatePreparer();
        return (object, old) -> {
            requireObject(object);
            requireObject(old);
            keepSystemMetadata(object, old);
            d.apply(object, old);
        };
    }

    public static NameRule nameRule(String group, String kind) {
        return NameRules.forKind(group, kind);
    }

    private static KindStrategy strategy(String group, String kind) {
        if (kind == null || kind.isEmpty()) {
            throw new IllegalArgumentException("kind must be given to look up a strategy");
        }
        return BuiltinKinds.lookup(group == null ? "" : group, kind);
    }

    private static void keepSystemMetadata(com.fasterxml.jackson.databind.node.ObjectNode object,
                                           com.fasterxml.jackson.databind.node.ObjectNode old) {
        var meta = Nodes.ensureObject(object, "metadata");
        JsonNode oldMeta = old.path("metadata");
        if (meta == null) {
            return;
        }
        if (Nodes.isUnsetOrEmpty(meta, "uid") && oldMeta.path("uid").isTextual()) {
            meta.set("uid", oldMeta.get("uid"));
        }
        if (oldMeta.path("creationTimestamp").isTextual()) {
            meta.set("creationTimestamp", oldMeta.get("creationTimestamp"));
        }
    }

    private static void requireObject(Object node) {
        if (node == null) {
            throw new IllegalArgumentException("cannot prepare a null object");
        }
    }
}
