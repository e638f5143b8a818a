package io.kedge.hub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kedge.api.Json;
import io.kedge.api.table.ColumnDefinition;
import io.kedge.api.table.TablePrinter;
import io.kedge.api.table.TablePrinters;
import java.time.Instant;
import java.util.List;

/**
 * {@code meta.k8s.io/v1} Tables built from the cache, so that {@code kubectl get} against the hub
 * prints the same columns offline as the cloud prints online.
 */
final class OfflineTables {
    private OfflineTables() {}

    /** Whether the client asked for a Table ({@code Accept: application/json;as=Table;v=v1;g=meta.k8s.io}). */
    static boolean wanted(HubRequest request) {
        String accept = request.header("Accept");
        return accept != null && accept.contains("as=Table") && accept.contains("g=meta.k8s.io");
    }

    static ObjectNode table(ApiPath path, List<? extends JsonNode> objects, String resourceVersion, Instant now) {
        TablePrinter printer = TablePrinters.find(path.group(), path.resource()).orElse(TablePrinters.defaultPrinter());
        ObjectNode table = Json.object();
        table.put("kind", "Table").put("apiVersion", "meta.k8s.io/v1");
        table.putObject("metadata").put("resourceVersion", resourceVersion);
        ArrayNode columns = table.putArray("columnDefinitions");
        for (ColumnDefinition c : printer.columns()) {
            columns.addObject().put("name", c.name()).put("type", c.type()).put("format", c.format())
                    .put("description", c.description()).put("priority", c.priority());
        }
        ArrayNode rows = table.putArray("rows");
        for (JsonNode o : objects) {
            ObjectNode row = rows.addObject();
            ArrayNode cells = row.putArray("cells");
            for (Object cell : printer.cells(o, now)) {
                cells.add(Json.MAPPER.valueToTree(cell));
            }
            ObjectNode partial = row.putObject("object");
            partial.put("kind", "PartialObjectMetadata").put("apiVersion", "meta.k8s.io/v1");
            partial.set("metadata", o.path("metadata").deepCopy());
        }
        return table;
    }
}
