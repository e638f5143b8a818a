package io.kedge.apiserver.handlers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kedge.api.ApiException;
import io.kedge.api.Json;
import io.kedge.api.Meta;
import io.kedge.api.apply.FieldManagers;
import io.kedge.api.patch.BuiltinPatchSchemas;
import io.kedge.api.patch.JsonPatch;
import io.kedge.api.patch.MergePatch;
import io.kedge.api.patch.PatchException;
import io.kedge.api.patch.StrategicMergePatch;
import io.kedge.apiserver.http.HttpExchange;
import io.kedge.apiserver.http.RequestInfo;
import io.kedge.apiserver.registry.DeleteOptions;
import io.kedge.apiserver.registry.GenericRegistry;
import io.kedge.apiserver.registry.ResourceType;
import io.kedge.apiserver.registry.WriteOptions;
import io.kedge.apiserver.storage.CachedObject;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/** POST, PUT, PATCH and DELETE of objects and of their status. */
final class WriteHandler {
    private final ApiContext ctx;
    private final ReadHandler reads;
    private final ServerSideApply apply;

    WriteHandler(ApiContext ctx, ReadHandler reads, ServerSideApply apply) {
        this.ctx = ctx;
        this.reads = reads;
        this.apply = apply;
    }

    static WriteOptions options(HttpExchange ex) {
        List<String> dryRun = ex.params("dryRun");
        for (String d : dryRun) {
            if (!d.equals("All")) {
                throw ApiException.badRequest("dryRun must be \"All\", got \"" + d + "\"");
            }
        }
        String fv = ex.param("fieldValidation");
        if (fv != null && !fv.isEmpty() && !List.of("Strict", "Warn", "Ignore").contains(fv)) {
            throw ApiException.badRequest("fieldValidation must be Strict, Warn or Ignore, got \"" + fv + "\"");
        }
        String manager = FieldManagers.resolve(ex.param("fieldManager"), ex.header("User-Agent"));
        return new WriteOptions(!dryRun.isEmpty(), manager, fv == null || fv.isEmpty() ? "Warn" : fv, ex.user());
    }

    void create(HttpExchange ex, ResourceType t, RequestInfo info) {
        WriteOptions opts = options(ex);
        ObjectNode body = Bodies.object(ex, opts.strict());
        ctx.fieldCheck().check(t, body, opts, false);
        ObjectNode created = ctx.registry().create(t, info.namespace(), body, opts).object();
        reads.respondObject(ex, t, created, 201);
    }

    void update(HttpExchange ex, ResourceType t, RequestInfo info, boolean statusWrite) {
        WriteOptions opts = options(ex);
        ObjectNode body = Bodies.object(ex, opts.strict());
        ctx.fieldCheck().check(t, body, opts, statusWrite);
        GenericRegistry.Written w = ctx.registry().update(t, info.namespace(), info.name(), info.subresource(),
                old -> body.deepCopy(), body.deepCopy(), opts);
        reads.respondObject(ex, t, w.object(), w.created() ? 201 : 200);
    }

    void patch(HttpExchange ex, ResourceType t, RequestInfo info, boolean statusWrite) {
        WriteOptions opts = options(ex);
        String type = ex.contentType();
        if (type.equals("application/apply-patch+yaml")) {
            reads.respondObject(ex, t, apply.apply(ex, t, info, opts), 200);
            return;
        }
        JsonNode patch = Bodies.node(ex, opts.strict());
        UnaryOperator<ObjectNode> change = switch (type) {
            case "application/json-patch+json" -> old -> asObject(JsonPatch.apply(old, patch));
            case "application/merge-patch+json" -> old -> asObject(MergePatch.apply(old, patch));
            case "application/strategic-merge-patch+json" -> {
                if (t.custom()) {
                    throw ApiException.unsupportedMediaType("strategic merge patch is not supported for custom resources ("
                            + t.groupResource() + "); use a JSON merge patch");
                }
                yield old -> StrategicMergePatch.apply(old, patch,
                        BuiltinPatchSchemas.forKind(t.apiVersion(), t.kind()));
            }
            default -> throw ApiException.unsupportedMediaType("the patch type \"" + type + "\" is not supported; use "
                    + "application/json-patch+json, application/merge-patch+json, "
                    + "application/strategic-merge-patch+json or application/apply-patch+yaml");
        };
        UnaryOperator<ObjectNode> checked = old -> {
            try {
                // only a resourceVersion the patch itself carries is a precondition
                Meta.metadata(old).remove("resourceVersion");
                ObjectNode patched = change.apply(old);
                ctx.fieldCheck().check(t, patched, opts, statusWrite);
                return patched;
            } catch (PatchException e) {
                throw e.toApiException();
            }
        };
        GenericRegistry.Written w = ctx.registry().update(t, info.namespace(), info.name(), info.subresource(), checked, null, opts);
        reads.respondObject(ex, t, w.object(), 200);
    }

    private static ObjectNode asObject(JsonNode n) {
        if (n instanceof ObjectNode o) {
            return o;
        }
        throw ApiException.badRequest("the patch does not leave a JSON object");
    }

    void delete(HttpExchange ex, ResourceType t, RequestInfo info) {
        DeleteOptions opts = deleteOptions(ex);
        GenericRegistry.DeleteResult r = ctx.registry().delete(t, info.namespace(), info.name(), opts);
        if (r.gone() && !t.kind().equals("Pod")) {
            ObjectNode status = Json.object().put("kind", "Status").put("apiVersion", "v1");
            status.putObject("metadata");
            status.put("status", "Success");
            ObjectNode details = status.putObject("details");
            details.put("name", info.name()).put("group", t.group()).put("kind", t.plural());
            details.put("uid", Meta.uid(r.object()));
            ex.respondJson(200, status);
        } else {
            reads.respondObject(ex, t, r.object(), 200);
        }
    }

    void deleteCollection(HttpExchange ex, ResourceType t, RequestInfo info) {
        DeleteOptions opts = deleteOptions(ex);
        ListOptions list = ListOptions.from(ex, t, null);
        ctx.hub().waitFor(ctx.hub().storeRevision(), ReadHandler.FRESHNESS_TIMEOUT);
        List<CachedObject> items = ctx.hub().cacheFor(t).list(t.keyPrefix(info.namespace()), null, 0, list.filter()).items();
        List<CachedObject> deleted = new ArrayList<>();
        for (CachedObject o : items) {
            try {
                ctx.registry().delete(t, o.namespace(), o.name(), opts);
                deleted.add(o);
            } catch (ApiException e) {
                if (e.code() != 404) throw e;
            }
        }
        ex.respond(200, "application/json", ReadHandler.listBytes(t, deleted, Long.toString(ctx.hub().revision()), null),
                java.util.Map.of());
    }

    static DeleteOptions deleteOptions(HttpExchange ex) {
        Long grace = null;
        String propagation = ex.param("propagationPolicy");
        String uid = null;
        String rv = null;
        boolean dryRun = !ex.params("dryRun").isEmpty();
        String g = ex.param("gracePeriodSeconds");
        if (g != null && !g.isEmpty()) {
            grace = parseLong(g, "gracePeriodSeconds");
        }
        if (ex.body().length > 0) {
            JsonNode body = Bodies.node(ex, false);
            if (body.has("gracePeriodSeconds") && !body.get("gracePeriodSeconds").isNull()) {
                grace = body.get("gracePeriodSeconds").asLong();
            }
            if (body.hasNonNull("propagationPolicy")) propagation = body.get("propagationPolicy").asText();
            if (body.path("orphanDependents").isBoolean() && propagation == null) {
                propagation = body.get("orphanDependents").asBoolean() ? "Orphan" : "Background";
            }
            JsonNode pre = body.path("preconditions");
            if (pre.hasNonNull("uid")) uid = pre.get("uid").asText();
            if (pre.hasNonNull("resourceVersion")) rv = pre.get("resourceVersion").asText();
            if (body.path("dryRun").isArray() && !body.get("dryRun").isEmpty()) dryRun = true;
        }
        if (propagation != null && !List.of("Orphan", "Background", "Foreground").contains(propagation)) {
            throw ApiException.badRequest("propagationPolicy must be Orphan, Background or Foreground, got \"" + propagation + "\"");
        }
        return new DeleteOptions(grace, propagation, uid, rv, dryRun);
    }

    private static long parseLong(String v, String name) {
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw ApiException.badRequest(name + " must be an integer, got \"" + v + "\"");
        }
    }
}
