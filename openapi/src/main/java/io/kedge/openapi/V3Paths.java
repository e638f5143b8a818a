package io.kedge.openapi;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kedge.openapi.ResourceEndpoints.Endpoint;
import io.kedge.openapi.ResourceEndpoints.Operation;
import io.kedge.openapi.ResourceEndpoints.Param;
import java.util.List;

/** Writes endpoints as OpenAPI 3.0 path items. */
final class V3Paths {
    private V3Paths() {}

    static void write(List<Endpoint> endpoints, ObjectNode paths) {
        for (Endpoint endpoint : endpoints) {
            ObjectNode item = paths.putObject(endpoint.path());
            for (Operation op : endpoint.operations()) {
                item.set(op.method(), operation(op));
            }
            ArrayNode parameters = item.putArray("parameters");
            endpoint.pathParams().forEach(p ->
                    parameters.add(parameter(p, p.name().equals("pretty") ? "query" : "path")));
        }
    }

    private static ObjectNode operation(Operation op) {
        ObjectNode node = Schemas.object();
        node.put("description", op.description());
        node.put("operationId", op.operationId());
        node.putArray("tags").add(op.tag());
        if (!op.query().isEmpty()) {
            ArrayNode parameters = node.putArray("parameters");
            op.query().forEach(p -> parameters.add(parameter(p, "query")));
        }
        if (op.request() != null) {
            ObjectNode body = node.putObject("requestBody");
            ObjectNode content = body.putObject("content");
            op.consumes().forEach(type -> content.putObject(type).set("schema", Schemas.ref(op.request())));
            if (op.requestRequired()) {
                body.put("required", true);
            }
        }
        ObjectNode responses = node.putObject("responses");
        responses.set("200", response("OK", op.response()));
        if (op.alsoCreated()) {
            responses.set("201", response("Created", op.response()));
        }
        responses.putObject("401").put("description", "Unauthorized");
        node.put("x-kubernetes-action", op.action());
        if (op.gvk() != null) {
            node.set(Schemas.GVK_EXTENSION, Schemas.gvk(op.gvk().group(), op.gvk().version(), op.gvk().kind()));
        }
        return node;
    }

    private static ObjectNode response(String description, String definition) {
        ObjectNode response = Schemas.object().put("description", description);
        ObjectNode content = response.putObject("content");
        if (definition == null) {
            content.putObject("*/*").set("schema", Schemas.typed("string"));
        } else {
            ResourceEndpoints.PRODUCES.forEach(type -> content.putObject(type).set("schema", Schemas.ref(definition)));
        }
        return response;
    }

    private static ObjectNode parameter(Param p, String in) {
        ObjectNode node = Schemas.object();
        node.put("name", p.name());
        node.put("in", in);
        node.put("description", p.description());
        if (in.equals("path")) {
            node.put("required", true);
        }
        node.set("schema", Schemas.typed(p.type()).put("uniqueItems", true));
        return node;
    }
}
