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
     * unitdeployments: NAME UNITS READY DESIRED AGE. UNITS counts the targeted units (spec.units); READY and
     * DESIRED add up the units' ready and wanted replicas (status.units[].readyReplicas and .replicas).
     */
    static TablePrinter unitDeployments() {
        return new RowPrinter(List.of(
                Columns.NAME,
                integer("Units", "Edge units the deployment targets."),
                integer("Ready", "Ready replicas over all targeted units."),
                integer("Desired", "Wanted replicas over all targeted units."),
                Columns.AGE),
                (ud, now) -> new Object[] {
                    Fields.name(ud), count(Fields.at(ud, "spec", "units")),
                    sum(Fields.at(ud, "status", "units"), "readyReplicas"), sum(Fields.at(ud, "status", "units"), "replicas"),
                    Fields.age(ud, now)
                });
    }

    private static long sum(JsonNode units, String field) {
        long total = 0;
        for (JsonNode u : units) {
            total += u.path(field).asLong(0);
        }
        return total;
    }

    private static long count(JsonNode value) {
        if (value.isArray()) {
            return value.size();
        }
        return value.isNumber() ? value.asLong() : 0;
    }
}
