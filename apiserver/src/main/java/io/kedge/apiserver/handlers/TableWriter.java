package io.kedge.apiserver.handlers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kedge.api.Json;
import io.kedge.api.table.ColumnDefinition;
import io.kedge.api.table.TablePrinter;
import java.time.Instant;
import java.util.List;

/** Builds {@code meta.k8s.io/v1} Tables, the form kubectl get prints. */
public final class TableWriter {
    private TableWriter() {}

    public static ObjectNode table(TablePrinter printer, List<? extends JsonNode> objects, String resourceVersion,
                                   String continueToken, boolean withColumns, String includeObject, Instant now) {
        ObjectNode t = Json.object();
        t.put("kind", "Table").put("apiVersion", "meta.k8s.io/v1");
        ObjectNode meta = t.putObject("metadata");
        if (resourceVersion != null) meta.put("resourceVersion", resourceVersion);
        if (continueToken != null) meta.put("continue", continueToken);
        ArrayNode cols = t.putArray("columnDefinitions");
        if (withColumns) {
            for (ColumnDefinition c : printer.columns()) {
                cols.addObject().put("name", c.name()).put("type", c.type()).put("format", c.format())
                        .put("description", c.description()).put("priority", c.priority());
            }
        }
        ArrayNode rows = t.putArray("rows");
        for (JsonNode o : objects) {
            ObjectNode row = rows.addObject();
            ArrayNode cells = row.putArray("cells");
            for (Object cell : printer.cells(o, now)) {
                cells.add(Json.MAPPER.valueToTree(cell));
            }
            switch (includeObject == null ? "Metadata" : includeObject) {
                case "None" -> { }
                case "Object" -> row.set("object", o);
                default -> row.set("object", partialMetadata(o));
            }
        }
        return t;
    }

    public static ObjectNode partialMetadata(JsonNode o) {
        ObjectNode p = Json.object();
        p.put("kind", "PartialObjectMetadata").put("apiVersion", "meta.k8s.io/v1");
        p.set("metadata", o.path("metadata").deepCopy());
        return p;
    }
}
