package io.kedge.hub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kedge.api.ApiException;
import io.kedge.api.Json;
import io.kedge.api.Meta;
import io.kedge.api.patch.BuiltinPatchSchemas;
import io.kedge.api.patch.JsonPatch;
import io.kedge.api.patch.MergePatch;
import io.kedge.api.patch.PatchException;
import io.kedge.api.patch.StrategicMergePatch;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * Writes that start on the node, taken while the cloud is unreachable: applied to the cached
 * object, appended to the journal in the same transaction, and answered with the object as it
 * now is. Only these are taken: pod and node status, patches of the node's own Node (its labels and
 * annotations, such as the peer probes it publishes), events, leases in {@code kube-node-lease}, and
 * the deletion of a pod.
 */
final class NodeWrites {
    private final HubStore store;
    private final Journal journal;
    private final Watches watches;
    private final Clock clock;
    private final String nodeName;
    private final GeneratedNames names;

    NodeWrites(HubStore store, Journal journal, Watches watches, Clock clock, String nodeName) {
        this(store, journal, watches, clock, nodeName, new GeneratedNames());
    }

    NodeWrites(HubStore store, Journal journal, Watches watches, Clock clock, String nodeName, GeneratedNames names) {
        this.nodeName = nodeName;
        this.names = names;
        this.store = store;
        this.journal = journal;
        this.watches = watches;
        this.clock = clock;
    }

    /**
     * Whether the hub may journal this write. A pod deletion qualifies only as the node's
     * confirmation that the pod's containers are gone (grace period 0), not as a request to stop a pod.
     */
    boolean journaled(String method, ApiPath p, byte[] body) {
        if (!p.isResource()) {
            return false;
        }
        boolean core = p.group().isEmpty() && "v1".equals(p.version());
        boolean update = method.equals("PUT") || method.equals("PATCH");
        if (update && p.name() != null && "status".equals(p.subresource())
                && core && (p.resource().equals("pods") || p.resource().equals("nodes"))) {
            return true;
        }
        if (method.equals("PATCH") && core && p.resource().equals("nodes") && nodeName.equals(p.name()) && p.subresource() == null) {
            return true;
        }
        boolean events = p.resource().equals("events") && p.subresource() == null
                && (core || "events.k8s.io".equals(p.group()));
        if (events && ((method.equals("POST") && p.name() == null) || (method.equals("PATCH") && p.name() != null))) {
            return true;
        }
        if (update && p.is("coordination.k8s.io", "leases", null) && p.name() != null
                && LeaseHeartbeat.NAMESPACE.equals(p.namespace())) {
            return true;
        }
        return method.equals("DELETE") && core && p.is("", "pods", null) && p.name() != null && confirmsDeletion(p, body);
    }

    private static boolean confirmsDeletion(ApiPath p, byte[] body) {
        if ("0".equals(p.param("gracePeriodSeconds"))) {
            return true;
        }
        try {
            JsonNode options = body == null || body.length == 0 ? null : Json.parse(body, false);
            return options != null && options.path("gracePeriodSeconds").isIntegralNumber()
                    && options.path("gracePeriodSeconds").asLong() == 0;
        } catch (ApiException notJson) {
            return false;
        }
    }

    /** Applies, journals and answers one node write. */
    void accept(HubRequest request, ApiPath p, Exchange exchange) {
        ObjectNode result;
        byte[] journaled = request.body();
        int code = 200;
        String type = "MODIFIED";
        try {
            JsonNode body = request.body().length == 0 ? null : Json.parse(request.body(), false);
            ObjectNode cached = store.get(p.gvr(), p.namespace(), p.name() == null ? "" : p.name()).orElse(null);
            switch (request.method()) {
                case "POST" -> {
                    result = created(p, body);
                    OfflineWriteId.stamp(result);
                    // replayed with the name it got here, so that a second replay is a duplicate the cloud refuses;
                    // generateName stays, so that replay can pick another name if the cloud took this one meanwhile
                    ObjectNode named = result.deepCopy();
                    Meta.metadata(named).remove(List.of("uid", "creationTimestamp", "resourceVersion"));
                    journaled = Json.bytes(named);
                    code = 201;
                    type = "ADDED";
                }
                case "PUT" -> result = replaced(p, cached, body);
                case "PATCH" -> result = patched(p, cached, body, request.contentType());
                case "DELETE" -> {
                    result = null;
                    type = "DELETED";
                }
                default -> throw ApiException.methodNotAllowed(request.method() + " is not journaled");
            }
            if (result != null) {
                Meta.metadata(result).put("resourceVersion", nextVersion(cached));
            }
            String name = result != null ? Meta.name(result) : p.name();
            journal.append(request.method(), request.uri(), request.contentType(), journaled, p.gvr(), p.namespace(), name,
                    result, clock.instant());
            if (result == null) {
                if (cached != null) {
                    watches.publish(p.gvr(), type, cached);
                    exchange.json(200, cached);
                } else {
                    exchange.json(200, success());
                }
                return;
            }
            watches.publish(p.gvr(), type, result);
            exchange.json(code, result);
        } catch (ApiException e) {
            exchange.error(e);
        } catch (PatchException e) {
            exchange.error(ApiException.of(e.kind().code(), e.kind().reason(), e.getMessage()));
        } catch (IllegalArgumentException e) {
            exchange.error(ApiException.badRequest("the request body is not valid JSON: " + e.getMessage()));
        }
    }

    private ObjectNode created(ApiPath p, JsonNode body) {
        if (!(body instanceof ObjectNode obj)) {
            throw ApiException.badRequest("the new object must be a JSON object");
        }
        ObjectNode meta = Meta.metadata(obj);
        if (Meta.text(meta, "name") == null) {
            String prefix = Meta.text(meta, "generateName");
            if (prefix == null) {
                throw ApiException.invalid(p.group(), "Event", "", List.of(
                        new ApiException.Cause("FieldValueRequired", "name or generateName is required", "metadata.name")));
            }
            meta.put("name", generatedName(p, prefix));
        }
        if (!p.namespace().isEmpty()) {
            meta.put("namespace", p.namespace());
        }
        if (!meta.has("uid")) {
            meta.put("uid", UUID.randomUUID().toString());
        }
        if (!meta.has("creationTimestamp")) {
            meta.put("creationTimestamp", Meta.timestamp(clock.instant()));
        }
        return obj;
    }

    /** A name from {@code prefix} that no object of the hub's, the ones created offline included, has yet. */
    String generatedName(ApiPath p, String prefix) {
        return names.next(prefix, name -> store.get(p.gvr(), p.namespace(), name).isPresent());
    }

    private ObjectNode replaced(ApiPath p, ObjectNode cached, JsonNode body) {
        if (!(body instanceof ObjectNode obj)) {
            throw ApiException.badRequest("the object must be a JSON object");
        }
        if ("status".equals(p.subresource())) {
            ObjectNode current = requireCached(p, cached);
            ObjectNode result = current.deepCopy();
            if (obj.has("status")) {
                result.set("status", obj.get("status"));
            } else {
                result.remove("status");
            }
            return result;
        }
        ObjectNode result = obj.deepCopy();
        if (cached != null) {
            // what the server owns stays as the server set it
            ObjectNode meta = Meta.metadata(result);
            for (String owned : new String[] {"uid", "creationTimestamp"}) {
                JsonNode v = cached.path("metadata").get(owned);
                if (v != null) {
                    meta.set(owned, v);
                }
            }
        }
        return result;
    }

    private ObjectNode patched(ApiPath p, ObjectNode cached, JsonNode patch, String contentType) {
        ObjectNode current = requireCached(p, cached);
        String type = contentType.toLowerCase(Locale.ROOT);
        JsonNode applied;
        if (type.startsWith("application/json-patch+json")) {
            applied = JsonPatch.apply(current, patch);
        } else if (type.startsWith("application/merge-patch+json")) {
            applied = MergePatch.apply(current, patch);
        } else if (type.startsWith("application/strategic-merge-patch+json")) {
            applied = StrategicMergePatch.apply(current, patch,
                    BuiltinPatchSchemas.forKind(Meta.text(current, "apiVersion"), Meta.text(current, "kind")));
        } else {
            throw ApiException.unsupportedMediaType("the hub cannot apply a patch of type " + contentType
                    + " while the cloud is unreachable");
        }
        if (!(applied instanceof ObjectNode result)) {
            throw ApiException.badRequest("the patch does not leave a JSON object");
        }
        if ("status".equals(p.subresource())) {
            ObjectNode onlyStatus = current.deepCopy();
            if (result.has("status")) {
                onlyStatus.set("status", result.get("status"));
            }
            return onlyStatus;
        }
        return result;
    }

    private ObjectNode requireCached(ApiPath p, ObjectNode cached) {
        if (cached == null) {
            throw ApiException.unavailable("the cloud is unreachable and " + p.resource() + " \"" + p.name()
                    + "\" is not in the hub's cache, so this write cannot be applied locally; retry when the cloud is back");
        }
        return cached;
    }

    /** A resourceVersion newer than the cached one, so that clients see the local write as a change. */
    private static String nextVersion(ObjectNode cached) {
        String rv = cached == null ? null : Meta.resourceVersion(cached);
        try {
            return Long.toString(Long.parseLong(rv) + 1);
        } catch (NumberFormatException | NullPointerException e) {
            return "1";
        }
    }

    private static ObjectNode success() {
        ObjectNode status = Json.object();
        status.put("kind", "Status").put("apiVersion", "v1").putObject("metadata");
        status.put("status", "Success");
        return status;
    }

}
