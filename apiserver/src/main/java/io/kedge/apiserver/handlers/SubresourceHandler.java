package io.kedge.apiserver.handlers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kedge.api.ApiException;
import io.kedge.api.Json;
import io.kedge.api.Meta;
import io.kedge.api.patch.JsonPatch;
import io.kedge.api.patch.MergePatch;
import io.kedge.api.patch.PatchSchema;
import io.kedge.api.patch.PatchException;
import io.kedge.api.patch.StrategicMergePatch;
import io.kedge.api.selector.LabelSelector;
import io.kedge.apiserver.http.HttpExchange;
import io.kedge.apiserver.http.RequestInfo;
import io.kedge.apiserver.registry.DeleteOptions;
import io.kedge.apiserver.registry.ResourceType;
import io.kedge.apiserver.registry.WriteOptions;
import io.kedge.apiserver.storage.CachedObject;

/** The scale, binding, eviction and namespace-finalize subresources. */
final class SubresourceHandler {
    private final ApiContext ctx;

    SubresourceHandler(ApiContext ctx) {
        this.ctx = ctx;
    }

    // --- scale ---------------------------------------------------------------------------

    void getScale(HttpExchange ex, ResourceType t, RequestInfo info) {
        ex.respondJson(200, scaleOf(t, ctx.registry().getOrThrow(t, info.namespace(), info.name())));
    }

    void writeScale(HttpExchange ex, ResourceType t, RequestInfo info, boolean patch) {
        WriteOptions opts = WriteHandler.options(ex);
        JsonNode body = Bodies.node(ex, opts.strict());
        var w = ctx.registry().update(t, info.namespace(), info.name(), "scale", old -> {
            ObjectNode scale = scaleOf(t, old);
            ObjectNode wanted;
            try {
                wanted = patch ? patchScale(ex.contentType(), scale, body) : (ObjectNode) body;
            } catch (PatchException e) {
                throw e.toApiException();
            }
            JsonNode replicas = wanted.path("spec").path("replicas");
            if (!replicas.canConvertToInt() || replicas.asInt() < 0) {
                throw ApiException.invalid("autoscaling", "Scale", info.name(), java.util.List.of(new ApiException.Cause(
                        "FieldValueInvalid", "Invalid value: " + replicas + ": must be greater than or equal to 0",
                        "spec.replicas")));
            }
            String rv = Meta.resourceVersion(wanted);
            if (rv != null && !rv.isEmpty()) {
                Meta.metadata(old).put("resourceVersion", rv);
            } else {
                Meta.metadata(old).remove("resourceVersion");
            }
            set(old, t.scale().specReplicas(), Json.MAPPER.getNodeFactory().numberNode(replicas.asInt()));
            return old;
        }, null, opts);
        ex.respondJson(200, scaleOf(t, w.object()));
    }

    private static ObjectNode patchScale(String type, ObjectNode scale, JsonNode patch) {
        JsonNode out = switch (type) {
            case "application/json-patch+json" -> JsonPatch.apply(scale, patch);
            case "application/merge-patch+json" -> MergePatch.apply(scale, patch);
            case "application/strategic-merge-patch+json" -> StrategicMergePatch.apply(scale, patch, PatchSchema.none());
            default -> throw ApiException.unsupportedMediaType("the patch type \"" + type + "\" is not supported for scale");
        };
        if (!(out instanceof ObjectNode o)) {
            throw ApiException.badRequest("the patch does not leave a Scale object");
        }
        return o;
    }

    static ObjectNode scaleOf(ResourceType t, ObjectNode obj) {
        ObjectNode s = Json.object().put("kind", "Scale").put("apiVersion", "autoscaling/v1");
        ObjectNode meta = s.putObject("metadata");
        for (String f : new String[]{"name", "namespace", "uid", "resourceVersion", "creationTimestamp"}) {
            JsonNode v = obj.path("metadata").get(f);
            if (v != null) meta.set(f, v.deepCopy());
        }
        s.putObject("spec").put("replicas", get(obj, t.scale().specReplicas()).asInt(0));
        ObjectNode status = s.putObject("status");
        status.put("replicas", get(obj, t.scale().statusReplicas()).asInt(0));
        JsonNode selector = t.custom() ? get(obj, t.scale().labelSelector()) : obj.path("spec").path("selector");
        if (selector.isTextual()) {
            status.put("selector", selector.asText());
        } else if (selector.isObject()) {
            status.put("selector", LabelSelector.fromJson(selector).toString());
        }
        return s;
    }

    private static JsonNode get(JsonNode obj, String path) {
        JsonNode n = obj;
        for (String p : path.substring(1).split("\\.")) {
            n = n.path(p);
        }
        return n;
    }

    private static void set(ObjectNode obj, String path, JsonNode value) {
        String[] parts = path.substring(1).split("\\.");
        ObjectNode n = obj;
        for (int i = 0; i < parts.length - 1; i++) {
            n = n.has(parts[i]) && n.get(parts[i]).isObject() ? (ObjectNode) n.get(parts[i]) : n.putObject(parts[i]);
        }
        n.set(parts[parts.length - 1], value);
    }

    // --- pods/binding ----------------------------------------------------------------------

    void bind(HttpExchange ex, ResourceType pods, RequestInfo info) {
        WriteOptions opts = WriteHandler.options(ex);
        ObjectNode binding = Bodies.object(ex, opts.strict());
        String node = binding.path("target").path("name").asText("");
        if (node.isEmpty()) {
            throw ApiException.invalid("", "Binding", info.name(), java.util.List.of(
                    new ApiException.Cause("FieldValueRequired", "Required value", "target.name")));
        }
        ctx.registry().update(pods, info.namespace(), info.name(), "binding", pod -> {
            String current = pod.path("spec").path("nodeName").asText("");
            if (!current.isEmpty()) {
                throw ApiException.conflict("", "pods", info.name(), "pod " + info.name() + " is already assigned to node \"" + current + "\"");
            }
            if (Meta.isDeleting(pod)) {
                throw ApiException.conflict("", "pods", info.name(), "pod " + info.name() + " is being deleted, cannot be assigned to a host");
            }
            ((ObjectNode) pod.with("spec")).put("nodeName", node);
            ObjectNode status = (ObjectNode) pod.with("status");
            ArrayNode conditions = status.has("conditions") ? (ArrayNode) status.get("conditions") : status.putArray("conditions");
            for (int i = conditions.size() - 1; i >= 0; i--) {
                if ("PodScheduled".equals(conditions.get(i).path("type").asText())) {
                    conditions.remove(i);
                }
            }
            conditions.addObject().put("type", "PodScheduled").put("status", "True")
                    .put("lastTransitionTime", Meta.timestamp(ctx.clock().instant()));
            Meta.metadata(pod).remove("resourceVersion");
            return pod;
        }, null, opts);
        ObjectNode status = Json.object().put("kind", "Status").put("apiVersion", "v1").put("status", "Success").put("code", 201);
        status.putObject("metadata");
        ex.respondJson(201, status);
    }

    // --- pods/eviction ---------------------------------------------------------------------

    void evict(HttpExchange ex, ResourceType pods, RequestInfo info) {
        ObjectNode eviction = Bodies.object(ex, false);
        ObjectNode pod = ctx.registry().getOrThrow(pods, info.namespace(), info.name());
        ResourceType pdbs = ctx.types().find("policy", "v1", "poddisruptionbudgets").orElseThrow();
        String phase = pod.path("status").path("phase").asText("");
        if (!phase.equals("Succeeded") && !phase.equals("Failed") && !Meta.isDeleting(pod)) {
            ctx.hub().waitFor(ctx.hub().storeRevision(), ReadHandler.FRESHNESS_TIMEOUT);
            for (CachedObject o : ctx.hub().cacheFor(pdbs).list(pdbs.keyPrefix(info.namespace()), null, 0,
                    new io.kedge.apiserver.storage.WatchFilter(null, null, null)).items()) {
                ObjectNode pdb = Json.trusted(o.json());
                JsonNode sel = pdb.path("spec").path("selector");
                if (!sel.isObject() || !LabelSelector.fromJson(sel).matches(Meta.labels(pod))) {
                    continue;
                }
                long observed = pdb.path("status").path("observedGeneration").asLong(0);
                if (observed < pdb.path("metadata").path("generation").asLong(1)) {
                    throw ApiException.tooManyRequests("Cannot evict pod as it would violate the pod's disruption budget. "
                            + "The disruption budget " + Meta.name(pdb) + " is still being processed by the server.", 10);
                }
                if (pdb.path("status").path("disruptionsAllowed").asInt(0) <= 0) {
                    throw ApiException.tooManyRequests("Cannot evict pod as it would violate the pod's disruption budget. "
                            + "The disruption budget " + Meta.name(pdb) + " needs " + pdb.path("status").path("desiredHealthy").asInt()
                            + " healthy pods and has " + pdb.path("status").path("currentHealthy").asInt() + " currently", 10);
                }
            }
        }
        JsonNode d = eviction.path("deleteOptions");
        DeleteOptions opts = new DeleteOptions(d.hasNonNull("gracePeriodSeconds") ? d.get("gracePeriodSeconds").asLong() : null,
                d.hasNonNull("propagationPolicy") ? d.get("propagationPolicy").asText() : null,
                d.path("preconditions").hasNonNull("uid") ? d.path("preconditions").get("uid").asText() : null,
                d.path("preconditions").hasNonNull("resourceVersion") ? d.path("preconditions").get("resourceVersion").asText() : null,
                !ex.params("dryRun").isEmpty());
        ctx.registry().delete(pods, info.namespace(), info.name(), opts);
        ObjectNode status = Json.object().put("kind", "Status").put("apiVersion", "v1").put("status", "Success").put("code", 201);
        status.putObject("metadata");
        ex.respondJson(201, status);
    }

    // --- namespaces/finalize ---------------------------------------------------------------

    void finalizeNamespace(HttpExchange ex, ResourceType namespaces, RequestInfo info) {
        WriteOptions opts = WriteHandler.options(ex);
        ObjectNode body = Bodies.object(ex, opts.strict());
        var w = ctx.registry().update(namespaces, null, info.name(), "finalize", old -> {
            JsonNode finalizers = body.path("spec").path("finalizers");
            ObjectNode spec = (ObjectNode) old.with("spec");
            if (finalizers.isArray()) spec.set("finalizers", finalizers.deepCopy());
            else spec.remove("finalizers");
            String rv = Meta.resourceVersion(body);
            if (rv != null && !rv.isEmpty()) Meta.metadata(old).put("resourceVersion", rv);
            else Meta.metadata(old).remove("resourceVersion");
            return old;
        }, null, opts);
        ex.respondJson(200, w.object());
    }
}
