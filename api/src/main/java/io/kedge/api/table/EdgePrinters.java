package io.kedge.api.table;

import static io.kedge.api.table.ColumnDefinition.integer;
import static io.kedge.api.table.ColumnDefinition.string;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * kedge's own edge.kedge.io resources. Counts may be published either as numbers or as lists
 * of names; a list counts its entries.
 */
final class EdgePrinters {
    private EdgePrinters() {}

    /** edgeunits: NAME TYPE NODES READY AGE, from spec.type, status.nodes and status.readyNodes. */
    static TablePrinter edgeUnits() {
        return new RowPrinter(List.of(
                Columns.NAME,
                string("Type", "Edge or Cloud."),
                integer("Nodes", "Nodes that belong to the unit."),
                integer("Ready", "Member nodes that are Ready."),
                Columns.AGE),
                (unit, now) -> new Object[] {
                    Fields.name(unit), Fields.textOr(Fields.NONE, unit, "spec", "type"),
                    count(Fields.at(unit, "status", "nodes")), count(Fields.at(unit, "status", "readyNodes")),
                    Fields.age(unit, now)
                });
    }

    /**
     * unitdeployments: NAME UNITS READY AGE. UNITS counts the targeted units (spec.units);
     * READY is status.readyUnits out of them.
     */
    static TablePrinter unitDeployments() {
        return new RowPrinter(List.of(
                Columns.NAME,
                integer("Units", "Edge units the deployment targets."),
                string("Ready", "Units whose deployment is fully ready, out of the targeted units."),
                Columns.AGE),
                (ud, now) -> {
                    long units = count(Fields.at(ud, "spec", "units"));
                    return new Object[] {
                        Fields.name(ud), units, count(Fields.at(ud, "status", "readyUnits")) + "/" + units,
                        Fields.age(ud, now)
                    };
                });
    }

    private static long count(JsonNode value) {
        if (value.isArray()) {
            return value.size();
        }
        return value.isNumber() ? value.asLong() : 0;
    }
}
