package io.kedge.api.table;

import io.kedge.api.Meta;
import java.util.List;

/**
 * The table for resources without a printer of their own: NAME and CREATED AT. The date column
 * carries the RFC 3339 creation time, which kubectl prints as it is.
 */
final class DefaultPrinter {
    /** What an unset creation time reads as: the zero time, as the Kubernetes API writes it. */
    static final String ZERO_TIME = "0001-01-01T00:00:00Z";

    private DefaultPrinter() {}

    static TablePrinter create() {
        return new RowPrinter(List.of(
                Columns.NAME,
                new ColumnDefinition("Created At", "date", "", "When the object was created (metadata.creationTimestamp).", 0)),
                (obj, now) -> new Object[] {
                    Fields.name(obj),
                    Fields.time(obj, "metadata", "creationTimestamp").map(Meta::timestamp).orElse(ZERO_TIME)
                });
    }
}
