package io.kedge.api.table;

import static io.kedge.api.table.ColumnDefinition.string;

import java.util.List;

/** Small core/v1 tables: namespaces, configmaps, secrets, serviceaccounts. */
final class CorePrinters {
    private CorePrinters() {}

    static TablePrinter namespaces() {
        return new RowPrinter(List.of(
                Columns.NAME,
                string("Status", "Active, or Terminating while the namespace's contents are deleted."),
                Columns.AGE),
                // The API sets phase Active on create; an unset phase reads the same way.
                (ns, now) -> new Object[] {Fields.name(ns), Fields.textOr("Active", ns, "status", "phase"), Fields.age(ns, now)});
    }

    static TablePrinter configMaps() {
        return new RowPrinter(List.of(
                Columns.NAME,
                string("Data", "Number of keys in data and binaryData."),
                Columns.AGE),
                (cm, now) -> new Object[] {
                    Fields.name(cm), (long) (Fields.size(cm, "data") + Fields.size(cm, "binaryData")), Fields.age(cm, now)
                });
    }

    static TablePrinter secrets() {
        return new RowPrinter(List.of(
                Columns.NAME,
                string("Type", "The secret's type, which fixes the keys it must hold."),
                string("Data", "Number of keys in data."),
                Columns.AGE),
                (s, now) -> new Object[] {
                    Fields.name(s), Fields.textOr("Opaque", s, "type"), (long) Fields.size(s, "data"), Fields.age(s, now)
                });
    }

    static TablePrinter serviceAccounts() {
        return new RowPrinter(List.of(Columns.NAME, Columns.AGE),
                (sa, now) -> new Object[] {Fields.name(sa), Fields.age(sa, now)});
    }
}
