package io.kedge.api.table;

import static io.kedge.api.table.ColumnDefinition.integer;
import static io.kedge.api.table.ColumnDefinition.string;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;

/** Cluster machinery: leases, disruption budgets, CSRs, priority and runtime classes, webhooks. */
final class ClusterPrinters {
    private ClusterPrinters() {}

    static TablePrinter leases() {
        return new RowPrinter(List.of(
                Columns.NAME,
                string("Holder", "The identity that holds the lease."),
                Columns.AGE),
                (l, now) -> new Object[] {Fields.name(l), Fields.text(l, "spec", "holderIdentity"), Fields.age(l, now)});
    }

    static TablePrinter podDisruptionBudgets() {
        return new RowPrinter(List.of(
                Columns.NAME,
                string("Min Available", "Pods that must stay available, as a count or a percentage."),
                string("Max Unavailable", "Pods that may be unavailable, as a count or a percentage."),
                integer("Allowed Disruptions", "Pods that may be disrupted right now."),
                Columns.AGE),
                (pdb, now) -> new Object[] {
                    Fields.name(pdb), intOrString(Fields.at(pdb, "spec", "minAvailable")),
                    intOrString(Fields.at(pdb, "spec", "maxUnavailable")),
                    Fields.number(pdb, "status", "disruptionsAllowed"), Fields.age(pdb, now)
                });
    }

    static TablePrinter certificateSigningRequests() {
        return new RowPrinter(List.of(
                Columns.NAME,
                Columns.AGE,
                string("SignerName", "The signer asked to sign the request."),
                string("Requestor", "The user who created the request."),
                string("RequestedDuration", "The certificate lifetime the requestor asked for."),
                string("Condition", "Approved, Denied or Pending, then Failed and Issued when they apply.")),
                (csr, now) -> new Object[] {
                    Fields.name(csr), Fields.age(csr, now), Fields.textOr(Fields.NONE, csr, "spec", "signerName"),
                    Fields.text(csr, "spec", "username"), requestedDuration(csr), csrCondition(csr)
                });
    }

    static TablePrinter priorityClasses() {
        return new RowPrinter(List.of(
                Columns.NAME,
                integer("Value", "The priority of pods that name this class."),
                new ColumnDefinition("Global-Default", "boolean", "", "Whether pods without a class get this one.", 0),
                Columns.AGE,
                string("PreemptionPolicy", "Whether pods of this class may preempt lower-priority pods.")),
                (pc, now) -> new Object[] {
                    Fields.name(pc), Fields.number(pc, "value"), Fields.bool(pc, "globalDefault"), Fields.age(pc, now),
                    Fields.text(pc, "preemptionPolicy")
                });
    }

    static TablePrinter runtimeClasses() {
        return new RowPrinter(List.of(
                Columns.NAME,
                string("Handler", "The CRI handler that runs pods of this class."),
                Columns.AGE),
                (rc, now) -> new Object[] {Fields.name(rc), Fields.text(rc, "handler"), Fields.age(rc, now)});
    }

    static TablePrinter webhookConfigurations() {
        return new RowPrinter(List.of(
                Columns.NAME,
                integer("Webhooks", "Number of webhooks in this configuration."),
                Columns.AGE),
                (w, now) -> new Object[] {Fields.name(w), (long) Fields.size(w, "webhooks"), Fields.age(w, now)});
    }

    private static String intOrString(JsonNode value) {
        if (value.isMissingNode() || value.isNull()) {
            return "N/A";
        }
        return value.isNumber() ? Long.toString(value.asLong()) : value.asText();
    }

    private static String requestedDuration(JsonNode csr) {
        if (!Fields.present(csr, "spec", "expirationSeconds")) {
            return Fields.NONE;
        }
        return HumanDuration.format(Duration.ofSeconds(Fields.number(csr, "spec", "expirationSeconds")));
    }

    private static String csrCondition(JsonNode csr) {
        boolean approved = false;
        boolean denied = false;
        boolean failed = false;
        for (JsonNode c : Fields.list(csr, "status", "conditions")) {
            switch (Fields.text(c, "type")) {
                case "Approved" -> approved = true;
                case "Denied" -> denied = true;
                case "Failed" -> failed = true;
                default -> { } // other condition types do not change the summary
            }
        }
        // Denied outranks Approved: a denial is final.
        StringBuilder status = new StringBuilder(denied ? "Denied" : approved ? "Approved" : "Pending");
        if (failed) {
            status.append(",Failed");
        }
        if (!Fields.text(csr, "status", "certificate").isEmpty()) {
            status.append(",Issued");
        }
        return status.toString();
    }
}
