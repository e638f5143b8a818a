package io.kedge.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The swagger 2.0 document served at {@code /openapi/v2}: one document for every served resource. kubectl 1.20
 * downloads it as gnostic protobuf before create, apply and replace, validates manifests against its definitions,
 * and finds a kind's definition through {@code x-kubernetes-group-version-kind}. Immutable: build a new one when
 * the served resources change; the serialized forms are computed once, on first use.
 */
public final class OpenApiV2 {
    /**
     * The Content-Type to answer protobuf requests with. Clients ask with {@code ...spec.v2@v1.0+protobuf}, but Go's
     * mime parser rejects the '@', so a reply carrying that spelling fails in kubectl 1.20 with "mime: unexpected
     * content after media subtype"; upstream servers answer with this dotted spelling.
     */
    public static final String PROTOBUF_CONTENT_TYPE = "application/com.github.proto-openapi.spec.v2.v1.0+protobuf";

    private final ObjectNode document;
    private byte[] json;
    private byte[] protobuf;

    /**
     * @param version the server version shown in {@code info}, e.g. "v1.35.0"
     */
    public OpenApiV2(SchemaCatalog catalog, List<ServedResource> resources, String version) {
        Objects.requireNonNull(catalog, "catalog");
        Objects.requireNonNull(version, "version");
        List<ServedResource> served = ServedResources.checked(resources).stream()
                .sorted(Comparator.comparing(ServedResource::groupVersionPath)).toList();
        document = Schemas.object();
        document.put("swagger", "2.0");
        document.putObject("info").put("title", "Kubernetes").put("version", version)
                .put("description", "The Kubernetes API as served by kedge.");
        ObjectNode paths = document.putObject("paths");
        Map<String, ObjectNode> own = new LinkedHashMap<>();
        Set<String> referenced = new LinkedHashSet<>();
        for (ServedResource r : served) {
            ResourceSchemas schemas = ResourceSchemas.of(r, catalog);
            own.putAll(schemas.own());
            referenced.add(schemas.kindDefinition());
            List<ResourceEndpoints.Endpoint> endpoints = ResourceEndpoints.of(r, schemas, catalog);
            referenced.addAll(ResourceEndpoints.referencedDefinitions(endpoints));
            V2Paths.write(endpoints, paths);
        }
        ObjectNode definitions = document.putObject("definitions");
        catalog.closure(own, referenced).forEach((name, schema) -> definitions.set(name, V2Schemas.convert(schema)));
    }

    /** A copy of the document as JSON. */
    public JsonNode json() {
        return document.deepCopy();
    }

    public synchronized byte[] jsonBytes() {
        if (json == null) {
            json = OpenApiV3.serialize(document);
        }
        return json.clone();
    }

    /** The document as gnostic's {@code openapi.v2.Document} protobuf message. */
    public synchronized byte[] protobuf() {
        if (protobuf == null) {
            protobuf = GnosticEncoder.document(document);
        }
        return protobuf.clone();
    }

    /** A strong HTTP entity tag for the document, the same for its JSON and protobuf forms. */
    public String etag() {
        return "\"" + OpenApiV3.sha512(jsonBytes()) + "\"";
    }
}
