package io.kedge.api.table;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/** A printer assembled from its columns and a function that fills one row. */
final class RowPrinter implements TablePrinter {
    @FunctionalInterface
    interface Row {
        Object[] cells(JsonNode object, Instant now);
    }

    private final List<ColumnDefinition> columns;
    private final Row row;

    RowPrinter(List<ColumnDefinition> columns, Row row) {
        this.columns = List.copyOf(columns);
        this.row = Objects.requireNonNull(row);
    }

    @Override
    public List<ColumnDefinition> columns() {
        return columns;
    }

    @Override
    public List<Object> cells(JsonNode object, Instant now) {
        if (object == null) {
            throw new IllegalArgumentException("cannot print a table row for a null object");
        }
        if (now == null) {
            throw new IllegalArgumentException("cannot print a table row without the current time");
        }
        Object[] cells = row.cells(object, now);
        if (cells.length != columns.size()) {
            throw new IllegalStateException("printer produced " + cells.length + " cells for " + columns.size()
                    + " columns " + columns.stream().map(ColumnDefinition::name).toList());
        }
        // Arrays.asList keeps null cells, which List.of would reject.
        return Collections.unmodifiableList(Arrays.asList(cells));
    }
}
