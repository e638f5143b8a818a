package io.kedge.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The definitions one served resource brings to a document: its kind and its list kind, named and, where the
 * catalog does not have them (custom kinds, lists fabric8 lacks), built here.
 *
 * @param own schemas built for this resource, by definition name; the rest live in the catalog
 */
record ResourceSchemas(String kindDefinition, String listDefinition, Map<String, ObjectNode> own) {
    private static final ObjectNode UNKNOWN_FIELDS_KEPT =
            Schemas.typed("object").put("x-kubernetes-preserve-unknown-fields", true);

    static ResourceSchemas of(ServedResource resource, SchemaCatalog catalog) {
        Map<String, ObjectNode> own = new LinkedHashMap<>();
        String kindDefinition;
        String listDefinition;
        if (resource.isCustom()) {
            kindDefinition = customName(resource, resource.kind());
            own.put(kindDefinition, customKind(resource, resource.customSchema()));
        } else {
            // a built-in kind fabric8 does not model is still published, as an open object
            kindDefinition = catalog.definitionName(resource.group(), resource.version(), resource.kind())
                    .orElseGet(() -> {
                        String name = customName(resource, resource.kind());
                        own.put(name, customKind(resource, UNKNOWN_FIELDS_KEPT));
                        return name;
                    });
        }
        String listKind = resource.kind() + "List";
        if (resource.isCustom()) {
            listDefinition = customName(resource, listKind);
            own.put(listDefinition, list(resource, kindDefinition));
        } else {
            listDefinition = catalog.definitionName(resource.group(), resource.version(), listKind)
                    .orElseGet(() -> {
                        String name = kindDefinition + "List";
                        own.put(name, list(resource, kindDefinition));
                        return name;
                    });
        }
        return new ResourceSchemas(kindDefinition, listDefinition, own);
    }

    private static String customName(ServedResource resource, String kind) {
        return DefinitionNames.ofCustomKind(resource.group(), resource.version(), kind);
    }

    /** Like upstream does for CRDs: the envelope fields are the server's, metadata is the real ObjectMeta. */
    private static ObjectNode customKind(ServedResource resource, JsonNode source) {
        ObjectNode schema = ((ObjectNode) source).deepCopy();
        if (!schema.has("type")) {
            schema.put("type", "object");
        }
        if (!schema.has("description")) {
            schema.put("description", resource.kind() + " is a kind of the " + resource.groupVersion() + " API.");
        }
        ObjectNode properties = envelope("Standard object metadata.", DefinitionNames.OBJECT_META);
        JsonNode declared = schema.get("properties");
        if (declared != null && declared.isObject()) {
            declared.properties().forEach(field -> {
                if (!properties.has(field.getKey())) {
                    properties.set(field.getKey(), field.getValue());
                }
            });
        }
        schema.set("properties", properties);
        schema.set(Schemas.GVK_EXTENSION,
                Schemas.gvkList(resource.group(), resource.version(), resource.kind()));
        return schema;
    }

    private static ObjectNode list(ServedResource resource, String itemDefinition) {
        ObjectNode schema = Schemas.typed("object");
        schema.put("description", "A list of " + resource.kind() + " objects.");
        ObjectNode properties = envelope("Standard list metadata.", DefinitionNames.LIST_META);
        properties.set("items", Schemas.arrayOf(Schemas.ref(itemDefinition)).put("description", "The objects."));
        schema.set("properties", properties);
        schema.putArray("required").add("items");
        schema.set(Schemas.GVK_EXTENSION,
                Schemas.gvkList(resource.group(), resource.version(), resource.kind() + "List"));
        return schema;
    }

    private static ObjectNode envelope(String metadataDescription, String metadataDefinition) {
        ObjectNode properties = Schemas.object();
        properties.set("apiVersion", Schemas.typed("string")
                .put("description", "The versioned schema of this object, as group/version."));
        properties.set("kind", Schemas.typed("string").put("description", "The kind of this object, in CamelCase."));
        properties.set("metadata", Schemas.ref(metadataDefinition).put("description", metadataDescription));
        return properties;
    }
}
