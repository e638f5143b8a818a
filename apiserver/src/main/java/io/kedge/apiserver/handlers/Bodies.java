package io.kedge.apiserver.handlers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kedge.api.ApiException;
import io.kedge.api.Json;
import io.kedge.apiserver.http.HttpExchange;
import io.kedge.apiserver.protobuf.ProtobufObjects;
import java.util.List;

/** Decodes request bodies by Content-Type, with the errors a person can act on. */
final class Bodies {
    private Bodies() {}

    static ObjectNode object(HttpExchange ex, boolean strict) {
        JsonNode node = node(ex, strict);
        if (!(node instanceof ObjectNode o)) {
            throw ApiException.badRequest("the request body must be a JSON object, not " + node.getNodeType().name().toLowerCase());
        }
        return o;
    }

    static JsonNode node(HttpExchange ex, boolean strict) {
        String ct = ex.contentType();
        if (ex.body().length == 0) {
            throw ApiException.badRequest("the request body is empty");
        }
        return switch (ct) {
            case "", "application/json", "*/*", "application/merge-patch+json", "application/json-patch+json",
                 "application/strategic-merge-patch+json" -> Json.parse(ex.body(), strict);
            case "application/yaml", "application/apply-patch+yaml", "application/x-yaml", "text/yaml" -> single(ex);
            case ProtobufObjects.CONTENT_TYPE -> ProtobufObjects.decode(ex.body());
            default -> throw ApiException.unsupportedMediaType("the body's media type \"" + ct
                    + "\" is not supported; use application/json, application/yaml or, for built-in kinds, application/vnd.kubernetes.protobuf");
        };
    }

    private static JsonNode single(HttpExchange ex) {
        List<JsonNode> docs = Json.parseYamlDocuments(ex.body());
        if (docs.size() != 1) {
            throw ApiException.badRequest("the request body must hold exactly one YAML document, found " + docs.size());
        }
        return docs.get(0);
    }
}
