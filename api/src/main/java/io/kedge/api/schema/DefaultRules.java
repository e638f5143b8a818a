package io.kedge.api.schema;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * Defaults must already be what pruning and validation would leave: a default with unknown fields
 * or of the wrong shape would otherwise be written into every object. Checked for properties and
 * items (defaults elsewhere are forbidden by the other rules).
 */
final class DefaultRules {
    private DefaultRules() {}

    static void check(SchemaNode node, List<SchemaError> errors) {
        check(node, "", errors);
    }

    private static void check(SchemaNode node, String path, List<SchemaError> errors) {
        if (node.defaultValue != null) {
            String defaultPath = Paths.child(path, "default");
            JsonNode pruned = node.defaultValue.deepCopy();
            Pruner.prune(pruned, node, node.embeddedResource);
            if (!pruned.equals(node.defaultValue)) {
                errors.add(SchemaError.invalid(defaultPath, node.defaultValue, "must not have unknown fields"));
            }
            errors.addAll(Validator.validate(node.defaultValue, node, defaultPath));
        }
        if (node.items != null) {
            check(node.items, Paths.child(path, "items"), errors);
        }
        node.properties.forEach((key, property) -> check(property, SchemaRules.propertyPath(path, key), errors));
    }
}
