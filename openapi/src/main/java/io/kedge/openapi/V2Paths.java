package io.kedge.openapi;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kedge.openapi.ResourceEndpoints.Endpoint;
import io.kedge.openapi.ResourceEndpoints.Operation;
import io.kedge.openapi.ResourceEndpoints.Param;
import java.util.List;

/** Writes endpoints as swagger 2.0 path items. */
final class V2Paths {
    private V2Paths() {}

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
        if (op.request() != null) {
            node.set("consumes", Schemas.strings(op.consumes()));
        }
        node.set("produces", Schemas.strings(op.response() == null ? List.of("*/*") : ResourceEndpoints.PRODUCES));
        node.putArray("schemes").add("https");
        node.putArray("tags").add(op.tag());
        node.put("operationId", op.operationId());
        ArrayNode parameters = node.putArray("parameters");
        if (op.request() != null) {
            ObjectNode body = parameters.addObject();
            body.put("name", "body");
            body.put("in", "body");
            body.put("required", op.requestRequired());
            body.set("schema", reference(op.request()));
        }
        op.query().forEach(p -> parameters.add(parameter(p, "query")));
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
        response.set("schema", definition == null ? Schemas.typed("string") : reference(definition));
        return response;
    }

    private static ObjectNode reference(String definition) {
        return Schemas.object().put("$ref", Schemas.V2_REF_PREFIX + definition);
    }

    private static ObjectNode parameter(Param p, String in) {
        ObjectNode node = Schemas.object();
        node.put("uniqueItems", true);
        node.put("type", p.type());
        node.put("description", p.description());
        node.put("name", p.name());
        node.put("in", in);
        if (in.equals("path")) {
            node.put("required", true);
        }
        return node;
    }
}
