package io.kedge.apiserver.handlers;

import io.kedge.api.ApiException;
import io.kedge.apiserver.http.HttpExchange;
import io.kedge.apiserver.registry.ResourceType;
import io.kedge.apiserver.registry.ResourceTypes;
import io.kedge.openapi.OpenApiV2;
import io.kedge.openapi.OpenApiV3;
import io.kedge.openapi.SchemaCatalog;
import io.kedge.openapi.ServedResource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code /openapi/v2} (protobuf for kubectl 1.20, JSON otherwise) and {@code /openapi/v3}. The
 * documents are rebuilt on the first request after the served resources change.
 */
public final class OpenApiEndpoints {
    static final String V2_PROTOBUF = OpenApiV2.PROTOBUF_CONTENT_TYPE;
    private static final String VERSION = "v1.35.0-kedge.0";
    private final ResourceTypes types;
    private final SchemaCatalog catalog;
    private volatile Documents docs;

    private record Documents(OpenApiV2 v2, OpenApiV3 v3) {}

    public OpenApiEndpoints(ResourceTypes types) {
        this.types = types;
        this.catalog = new SchemaCatalog(new PatchStrategiesFromFacts());
        types.onChange(() -> docs = null);
    }

    public SchemaCatalog catalog() {
        return catalog;
    }

    private Documents documents() {
        Documents d = docs;
        if (d == null) {
            synchronized (this) {
                d = docs;
                if (d == null) {
                    List<ServedResource> served = new ArrayList<>();
                    for (ResourceType t : types.all()) {
                        served.add(new ServedResource(t.group(), t.version(), t.kind(), t.plural(), t.namespaced(),
                                t.verbs(), List.copyOf(t.subresources()), t.strategy().openApiSchema()));
                    }
                    d = new Documents(new OpenApiV2(catalog, served, VERSION), new OpenApiV3(catalog, served, VERSION));
                    docs = d;
                }
            }
        }
        return d;
    }

    void serve(HttpExchange ex) {
        String path = ex.path();
        Documents d = documents();
        if (path.equals("/openapi/v2")) {
            String accept = ex.header("Accept");
            if (accept != null && accept.contains("protobuf")) {
                ex.respond(200, V2_PROTOBUF, d.v2().protobuf(), Map.of("ETag", "\"" + d.v2().etag() + "\""));
            } else {
                ex.respond(200, "application/json", d.v2().jsonBytes(), Map.of("ETag", "\"" + d.v2().etag() + "\""));
            }
            return;
        }
        if (path.equals("/openapi/v3") || path.equals("/openapi/v3/")) {
            ex.respond(200, "application/json", d.v3().indexBytes(), Map.of());
            return;
        }
        if (path.startsWith("/openapi/v3/")) {
            String gv = path.substring("/openapi/v3/".length());
            var doc = d.v3().serialized(gv).orElseThrow(() ->
                    ApiException.notFound("no OpenAPI v3 document for " + gv));
            ex.respond(200, "application/json", doc.bytes(), Map.of("ETag", "\"" + doc.etag() + "\"",
                    "Cache-Control", ex.param("hash") != null ? "public, immutable" : "no-cache, private"));
            return;
        }
        throw ApiException.notFound("the server could not find the requested resource (" + path + ")");
    }
}
