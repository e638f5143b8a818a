package io.kedge.api.table;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;

/**
 * Turns objects of one resource into Table rows. The server always produces every column,
 * wide ones included; kubectl hides columns with priority above 0 unless asked for {@code -o wide}.
 */
public interface TablePrinter {
    List<ColumnDefinition> columns();

    /**
     * One cell per column, in column order. Cells are String, Long, Double, Boolean or null (a
     * value that is absent; kubectl prints {@code <none>}). Malformed objects yield placeholder
     * cells, never an exception.
     *
     * @param now the instant ages are measured against
     */
    List<Object> cells(JsonNode object, Instant now);
}
