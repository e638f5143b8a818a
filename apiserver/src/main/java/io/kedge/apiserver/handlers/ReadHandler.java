package io.kedge.apiserver.handlers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kedge.api.ApiException;
import io.kedge.api.Json;
import io.kedge.apiserver.http.HttpExchange;
import io.kedge.apiserver.http.RequestInfo;
import io.kedge.apiserver.registry.ResourceType;
import io.kedge.apiserver.storage.CachedObject;
import io.kedge.apiserver.storage.ResourceCache;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** GET of one object and LIST of many; lists come from the watch cache. */
final class ReadHandler {
    static final Duration FRESHNESS_TIMEOUT = Duration.ofSeconds(3);
    private final ApiContext ctx;

    ReadHandler(ApiContext ctx) {
        this.ctx = ctx;
    }

    void get(HttpExchange ex, ResourceType t, RequestInfo info) {
        ObjectNode obj = ctx.registry().getOrThrow(t, info.namespace(), info.name());
        respondObject(ex, t, obj, 200);
    }

    void respondObject(HttpExchange ex, ResourceType t, ObjectNode obj, int code) {
        switch (ResponseFormat.of(ex.header("Accept"))) {
            case TABLE -> ex.respondJson(code, TableWriter.table(t.strategy().printer(), List.of(obj),
                    io.kedge.api.Meta.resourceVersion(obj), null, true, ex.param("includeObject"), ctx.clock().instant()));
            case PARTIAL_METADATA -> ex.respondJson(code, TableWriter.partialMetadata(obj));
            case YAML -> ex.respondText(code, "application/yaml", Json.yaml(obj));
            default -> ex.respondJson(code, obj);
        }
    }

    void list(HttpExchange ex, ResourceType t, RequestInfo info) {
        ListOptions opts = ListOptions.from(ex, t, null);
        ResourceCache cache = ctx.hub().cacheFor(t);
        String prefix = t.keyPrefix(info.namespace());
        long listRevision;
        String startAfter = null;
        if (opts.continueToken() != null && !opts.continueToken().isEmpty()) {
            ContinueToken token = ContinueToken.decode(opts.continueToken(), prefix);
            if (token.revision() < cache.historyFloor()) {
                throw ApiException.expired("The provided continue parameter is too old to display a consistent list result. "
                        + "You can start a new list without the continue parameter.");
            }
            listRevision = token.revision();
            startAfter = token.lastKey();
        } else {
            long rv = opts.revision();
            if ("Exact".equals(opts.resourceVersionMatch()) && rv != ctx.hub().revision()) {
                throw ApiException.expired("too old resource version: " + rv + " (exact match is served only at the current revision "
                        + ctx.hub().revision() + ")");
            }
            if (rv < 0) {
                ctx.hub().waitFor(ctx.hub().storeRevision(), FRESHNESS_TIMEOUT);
            } else if (rv > 0) {
                ctx.hub().waitFor(rv, FRESHNESS_TIMEOUT);
            }
            listRevision = ctx.hub().revision();
        }
        ResourceCache.Page page = cache.list(prefix, startAfter, opts.limit(), opts.filter());
        String next = page.more() && !page.items().isEmpty()
                ? new ContinueToken(listRevision, page.items().get(page.items().size() - 1).key()).encode() : null;
        String rvText = Long.toString(listRevision);
        switch (ResponseFormat.of(ex.header("Accept"))) {
            case TABLE -> {
                List<JsonNode> objs = new ArrayList<>(page.items().size());
                for (CachedObject o : page.items()) objs.add(Json.trusted(o.json()));
                ex.respondJson(200, TableWriter.table(t.strategy().printer(), objs, rvText, next, true,
                        ex.param("includeObject"), ctx.clock().instant()));
            }
            case PARTIAL_METADATA -> {
                ObjectNode list = Json.object().put("kind", "PartialObjectMetadataList").put("apiVersion", "meta.k8s.io/v1");
                ObjectNode meta = list.putObject("metadata").put("resourceVersion", rvText);
                if (next != null) meta.put("continue", next);
                var items = list.putArray("items");
                for (CachedObject o : page.items()) items.add(TableWriter.partialMetadata(Json.trusted(o.json())));
                ex.respondJson(200, list);
            }
            case YAML -> ex.respondText(200, "application/yaml", Json.yaml(Json.trusted(listBytes(t, page.items(), rvText, next))));
            default -> ex.respond(200, "application/json", listBytes(t, page.items(), rvText, next), Map.of());
        }
    }

    /** The list document, assembled from the cached bytes without re-encoding each item. */
    static byte[] listBytes(ResourceType t, List<CachedObject> items, String rv, String next) {
        ObjectNode meta = Json.object().put("resourceVersion", rv);
        if (next != null) meta.put("continue", next);
        String head = "{\"kind\":\"" + t.kind() + "List\",\"apiVersion\":\"" + t.apiVersion() + "\",\"metadata\":"
                + Json.string(meta) + ",\"items\":[";
        int size = head.length() + 2;
        for (CachedObject o : items) size += o.json().length + 1;
        ByteArrayOutputStream out = new ByteArrayOutputStream(size);
        out.writeBytes(head.getBytes(StandardCharsets.UTF_8));
        for (int i = 0; i < items.size(); i++) {
            if (i > 0) out.write(',');
            out.writeBytes(items.get(i).json());
        }
        out.writeBytes("]}".getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }
}
