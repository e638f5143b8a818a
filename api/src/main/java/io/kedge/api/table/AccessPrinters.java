package io.kedge.api.table;

import static io.kedge.api.table.ColumnDefinition.string;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** rolebindings and clusterrolebindings: the role, and when wide the subjects by kind. */
final class AccessPrinters {
    private AccessPrinters() {}

    static TablePrinter bindings() {
        return new RowPrinter(List.of(
                Columns.NAME,
                string("Role", "The bound role, as Kind/name."),
                Columns.AGE,
                string("Users", "Users the binding grants the role to.").wide(),
                string("Groups", "Groups the binding grants the role to.").wide(),
                string("ServiceAccounts", "Service accounts the binding grants the role to, as namespace/name.").wide()),
                (b, now) -> {
                    List<String> users = new ArrayList<>();
                    List<String> groups = new ArrayList<>();
                    List<String> serviceAccounts = new ArrayList<>();
                    for (JsonNode subject : Fields.list(b, "subjects")) {
                        String name = Fields.text(subject, "name");
                        switch (Fields.text(subject, "kind")) {
                            case "User" -> users.add(name);
                            case "Group" -> groups.add(name);
                            case "ServiceAccount" -> serviceAccounts.add(Fields.text(subject, "namespace") + "/" + name);
                            default -> { } // unknown subject kinds have no column
                        }
                    }
                    return new Object[] {
                        Fields.name(b), Fields.text(b, "roleRef", "kind") + "/" + Fields.text(b, "roleRef", "name"),
                        Fields.age(b, now), String.join(", ", users), String.join(", ", groups),
                        String.join(", ", serviceAccounts)
                    };
                });
    }
}
