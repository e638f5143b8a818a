package io.kedge.apiserver.handlers;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kedge.api.ApiException;
import io.kedge.api.Meta;
import io.kedge.api.apply.ApplyResult;
import io.kedge.api.apply.ListTypes;
import io.kedge.api.patch.BuiltinPatchSchemas;
import io.kedge.apiserver.http.HttpExchange;
import io.kedge.apiserver.http.RequestInfo;
import io.kedge.apiserver.registry.ResourceType;
import io.kedge.apiserver.registry.WriteOptions;

/**
 * {@code PATCH} with {@code application/apply-patch+yaml}: merges the caller's configuration, records
 * its ownership in managedFields, and answers 409 with the conflicting fields unless forced.
 */
public final class ServerSideApply {
    private final ApiContext ctx;

    public ServerSideApply(ApiContext ctx) {
        this.ctx = ctx;
    }

    ObjectNode apply(HttpExchange ex, ResourceType t, RequestInfo info, WriteOptions opts) {
        String manager = ex.param("fieldManager");
        boolean force = ex.flag("force");
        ObjectNode applied = Bodies.object(ex, opts.strict());
        String name = Meta.name(applied);
        if (name != null && !name.isEmpty() && !name.equals(info.name())) {
            throw ApiException.badRequest("the name of the applied object (" + name + ") does not match the URL (" + info.name() + ")");
        }
        Meta.metadata(applied).put("name", info.name());
        ctx.fieldCheck().check(t, applied, opts, false);
        ListTypes lists = ListTypes.fromPatchSchema(BuiltinPatchSchemas.forKind(t.apiVersion(), t.kind()));
        WriteOptions applying = new WriteOptions(opts.dryRun(), manager, opts.fieldValidation(), opts.user()).asApply();
        boolean exists = ctx.registry().get(t, info.namespace(), info.name()).isPresent();
        if (!exists) {
            ApplyResult r = io.kedge.api.apply.ServerSideApply.apply(null, applied, manager, force, lists, ctx.clock().instant());
            try {
                return ctx.registry().create(t, info.namespace(), r.merged(), applying).object();
            } catch (ApiException e) {
                if (!"AlreadyExists".equals(e.reason())) {
                    throw e;
                }
            }
        }
        return ctx.registry().update(t, info.namespace(), info.name(), null, live -> {
            ApplyResult r = io.kedge.api.apply.ServerSideApply.apply(live, applied, manager, force, lists,
                    ctx.clock().instant());
            if (r.hasConflicts()) {
                throw r.toApiException();
            }
            ObjectNode merged = r.merged();
            String rv = Meta.resourceVersion(applied);
            if (rv == null || rv.isEmpty()) {
                Meta.metadata(merged).remove("resourceVersion");
            }
            return merged;
        }, null, applying).object();
    }
}
