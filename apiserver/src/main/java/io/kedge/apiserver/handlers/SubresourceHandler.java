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
    /** More evictions than this unconfirmed by the disruption controller means something is wrong with deletions. */
    private static final int MAX_DISRUPTED_PODS = 2000;
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
        WriteOptions writeOpts = WriteHandler.options(ex);
        ObjectNode eviction = Bodies.object(ex, false);
        String named = eviction.path("metadata").path("name").asText("");
        if (!named.isEmpty() && !named.equals(info.name())) {
            throw ApiException.badRequest("name in URL does not match name in Eviction object");
        }
        JsonNode d = eviction.path("deleteOptions");
        boolean dryRun = writeOpts.dryRun() || d.path("dryRun").isArray() && !d.path("dryRun").isEmpty();
        DeleteOptions opts = new DeleteOptions(d.hasNonNull("gracePeriodSeconds") ? d.get("gracePeriodSeconds").asLong() : null,
                d.hasNonNull("propagationPolicy") ? d.get("propagationPolicy").asText() : null,
                d.path("preconditions").hasNonNull("uid") ? d.path("preconditions").get("uid").asText() : null,
                d.path("preconditions").hasNonNull("resourceVersion") ? d.path("preconditions").get("resourceVersion").asText() : null,
                dryRun);
        WriteOptions statusWrite = new WriteOptions(dryRun, writeOpts.fieldManager(), "Ignore", writeOpts.user());
        for (int attempt = 1; ; attempt++) {
            ObjectNode pod = ctx.registry().getOrThrow(pods, info.namespace(), info.name());
            DeleteOptions evictWith = budgetsIgnore(pod) ? opts : respectBudget(pod, opts, statusWrite);
            try {
                ctx.registry().delete(pods, info.namespace(), info.name(), evictWith);
                break;
            } catch (ApiException e) {
                boolean ourPrecondition = opts.preconditionResourceVersion() == null && evictWith.preconditionResourceVersion() != null;
                if (e.code() != 409 || !ourPrecondition || attempt >= 3) {
                    throw e;
                }
                // the unready pod changed before it went: decide again on its new state
            }
        }
        ObjectNode status = Json.object().put("kind", "Status").put("apiVersion", "v1").put("status", "Success").put("code", 201);
        status.putObject("metadata");
        ex.respondJson(201, status);
    }

    /** Finished pods, pods not started yet and pods already being deleted disrupt nothing that a budget guards. */
    private static boolean budgetsIgnore(ObjectNode pod) {
        String phase = pod.path("status").path("phase").asText("");
        return phase.equals("Succeeded") || phase.equals("Failed") || phase.equals("Pending") || Meta.isDeleting(pod);
    }

    /**
     * Takes one disruption from the pod's budget, or refuses with 429. The decrement is a
     * compare-and-swap on the budget's status, so two evictions racing for the last allowed
     * disruption cannot both pass.
     *
     * @return the delete options to evict with (an unready pod evicted without spending the budget
     *     must still be unready when it is deleted, hence a resourceVersion precondition)
     */
    private DeleteOptions respectBudget(ObjectNode pod, DeleteOptions opts, WriteOptions statusWrite) {
        ResourceType pdbs = ctx.types().find("policy", "v1", "poddisruptionbudgets").orElseThrow();
        String namespace = Meta.namespace(pod);
        ctx.hub().waitFor(ctx.hub().storeRevision(), ReadHandler.FRESHNESS_TIMEOUT);
        java.util.List<ObjectNode> budgets = new java.util.ArrayList<>();
        for (CachedObject o : ctx.hub().cacheFor(pdbs).list(pdbs.keyPrefix(namespace), null, 0,
                new io.kedge.apiserver.storage.WatchFilter(null, null, null)).items()) {
            ObjectNode pdb = Json.trusted(o.json());
            if (guards(pdb, pod)) {
                budgets.add(pdb);
            }
        }
        if (budgets.isEmpty()) {
            return opts;
        }
        if (budgets.size() > 1) {
            throw ApiException.internal("This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.");
        }
        ObjectNode pdb = budgets.get(0);
        if (!isReady(pod) && unhealthyMayGo(pdb)) {
            String rv = opts.preconditionResourceVersion() != null ? opts.preconditionResourceVersion() : Meta.resourceVersion(pod);
            return new DeleteOptions(opts.gracePeriodSeconds(), opts.propagationPolicy(), opts.preconditionUid(), rv, opts.dryRun());
        }
        String podName = Meta.name(pod);
        try {
            ctx.registry().update(pdbs, namespace, Meta.name(pdb), "status", current -> {
                spendDisruption(current, podName);
                Meta.metadata(current).remove("resourceVersion");
                return current;
            }, null, statusWrite);
        } catch (ApiException e) {
            if (e.code() != 404) {
                throw e;
            }
            // the budget was deleted meanwhile: nothing guards the pod any more
        }
        return opts;
    }

    /** Only a selector with requirements guards pods: an empty one creeping in must not match everything. */
    private static boolean guards(ObjectNode pdb, ObjectNode pod) {
        JsonNode sel = pdb.path("spec").path("selector");
        if (!sel.isObject()) {
            return false;
        }
        LabelSelector selector;
        try {
            selector = LabelSelector.fromJson(sel);
        } catch (RuntimeException invalid) {
            return false;
        }
        return !selector.isEverything() && selector.matches(Meta.labels(pod));
    }

    private static boolean isReady(ObjectNode pod) {
        for (JsonNode c : pod.path("status").path("conditions")) {
            if ("Ready".equals(c.path("type").asText())) {
                return "True".equals(c.path("status").asText());
            }
        }
        return false;
    }

    /**
     * An unready pod counts toward no budget: under AlwaysAllow it may always go, and under the
     * default IfHealthyBudget when the application has all the healthy pods it wants.
     */
    private static boolean unhealthyMayGo(ObjectNode pdb) {
        if ("AlwaysAllow".equals(pdb.path("spec").path("unhealthyPodEvictionPolicy").asText())) {
            return true;
        }
        int desired = pdb.path("status").path("desiredHealthy").asInt(0);
        return desired > 0 && pdb.path("status").path("currentHealthy").asInt(0) >= desired;
    }

    private void spendDisruption(ObjectNode pdb, String podName) {
        String refused = "Cannot evict pod as it would violate the pod's disruption budget.";
        ObjectNode status = (ObjectNode) pdb.with("status");
        if (status.path("observedGeneration").asLong(0) < pdb.path("metadata").path("generation").asLong(1)) {
            throw refusal(refused + " The disruption budget " + Meta.name(pdb) + " is still being processed by the server.");
        }
        int allowed = status.path("disruptionsAllowed").asInt(0);
        if (allowed < 0) {
            throw ApiException.forbidden("poddisruptionbudgets.policy \"" + Meta.name(pdb)
                    + "\" is forbidden: pdb disruptions allowed is negative");
        }
        if (status.path("disruptedPods").size() > MAX_DISRUPTED_PODS) {
            throw ApiException.forbidden("poddisruptionbudgets.policy \"" + Meta.name(pdb) + "\" is forbidden: "
                    + "DisruptedPods map too big - too many evictions not confirmed by PDB controller");
        }
        if (allowed == 0) {
            throw refusal(refused + " The disruption budget " + Meta.name(pdb) + " needs "
                    + status.path("desiredHealthy").asInt() + " healthy pods and has "
                    + status.path("currentHealthy").asInt() + " currently");
        }
        status.put("disruptionsAllowed", allowed - 1);
        if (allowed - 1 == 0) {
            markInsufficient(status);
        }
        // the disruption controller keeps the pod out of currentHealthy until it sees the pod go
        ObjectNode disrupted = status.has("disruptedPods") && status.get("disruptedPods").isObject()
                ? (ObjectNode) status.get("disruptedPods") : status.putObject("disruptedPods");
        disrupted.put(podName, Meta.timestamp(ctx.clock().instant()));
    }

    /**
     * A 429 without Retry-After: with one, client-go would silently repeat the eviction up to ten
     * times before the caller (kubectl drain, with its own retry loop and timeout) heard of it.
     */
    private static ApiException refusal(String message) {
        return ApiException.of(429, "TooManyRequests", message);
    }

    private void markInsufficient(ObjectNode status) {
        ArrayNode conditions = status.has("conditions") && status.get("conditions").isArray()
                ? (ArrayNode) status.get("conditions") : status.putArray("conditions");
        ObjectNode condition = null;
        for (JsonNode c : conditions) {
            if ("DisruptionAllowed".equals(c.path("type").asText()) && c instanceof ObjectNode o) {
                condition = o;
            }
        }
        if (condition == null) {
            condition = conditions.addObject().put("type", "DisruptionAllowed");
        }
        if (!"False".equals(condition.path("status").asText())) {
            condition.put("lastTransitionTime", Meta.timestamp(ctx.clock().instant()));
        }
        condition.put("status", "False").put("reason", "InsufficientPods").put("message", "");
        if (status.has("observedGeneration")) {
            condition.put("observedGeneration", status.get("observedGeneration").asLong());
        }
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
