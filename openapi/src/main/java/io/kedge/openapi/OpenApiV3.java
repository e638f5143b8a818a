package io.kedge.openapi;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The OpenAPI v3 documents: an index at {@code /openapi/v3} and one self-contained document per group-version at
 * {@code /openapi/v3/api/v1} or {@code /openapi/v3/apis/<group>/<version>}. kubectl 1.35 reads them for
 * {@code explain}, for server-side field validation and for client-side apply's strategic merge patches.
 * Immutable: build a new one when the served resources change.
 */
public final class OpenApiV3 {
    private static final String URL_PREFIX = "/openapi/v3/";

    /**
     * One serialized group-version document.
     *
     * @param hash upper-case hex SHA-512 of the bytes; the index links each document with {@code ?hash=<hash>}
     */
    public record Document(String groupVersionPath, byte[] bytes, String hash) {
        @Override
        public byte[] bytes() {
            return bytes.clone();
        }

        /** A strong HTTP entity tag. */
        public String etag() {
            return "\"" + hash + "\"";
        }

        public String serverRelativeUrl() {
            return URL_PREFIX + groupVersionPath + "?hash=" + hash;
        }
    }

    private final Map<String, Document> documents = new TreeMap<>();
    private final byte[] index;

    /**
     * @param version the server version shown in each document's {@code info}, e.g. "v1.35.0"
     */
    public OpenApiV3(SchemaCatalog catalog, List<ServedResource> resources, String version) {
        Objects.requireNonNull(catalog, "catalog");
        Objects.requireNonNull(version, "version");
        Map<String, List<ServedResource>> byGroupVersion = new TreeMap<>();
        for (ServedResource r : ServedResources.checked(resources)) {
            byGroupVersion.computeIfAbsent(r.groupVersionPath(), k -> new ArrayList<>()).add(r);
        }
        ObjectNode indexPaths = Schemas.object();
        byGroupVersion.forEach((path, served) -> {
            byte[] bytes = serialize(build(catalog, served, version));
            Document document = new Document(path, bytes, sha512(bytes));
            documents.put(path, document);
            indexPaths.putObject(path).put("serverRelativeURL", document.serverRelativeUrl());
        });
        ObjectNode indexNode = Schemas.object();
        indexNode.set("paths", indexPaths);
        index = serialize(indexNode);
    }

    /** {@code {"paths":{"api/v1":{"serverRelativeURL":"/openapi/v3/api/v1?hash=..."}, ...}}} */
    public JsonNode index() {
        return parse(index);
    }

    public byte[] indexBytes() {
        return index.clone();
    }

    /** The group-version paths with a document, e.g. "api/v1", "apis/apps/v1". */
    public Set<String> groupVersionPaths() {
        return new LinkedHashSet<>(documents.keySet());
    }

    /** The document of "api/v1" or "apis/apps/v1" (a leading slash or {@code /openapi/v3/} prefix is accepted). */
    public Optional<JsonNode> document(String groupVersionPath) {
        return serialized(groupVersionPath).map(d -> parse(d.bytes));
    }

    public Optional<Document> serialized(String groupVersionPath) {
        return Optional.ofNullable(documents.get(normalize(groupVersionPath)));
    }

    private static String normalize(String path) {
        if (path == null) {
            throw new IllegalArgumentException("group-version path must not be null");
        }
        String p = path;
        int query = p.indexOf('?');
        if (query >= 0) {
            p = p.substring(0, query);
        }
        if (p.startsWith(URL_PREFIX)) {
            p = p.substring(URL_PREFIX.length());
        }
        while (p.startsWith("/")) {
            p = p.substring(1);
        }
        while (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return p;
    }

    private static ObjectNode build(SchemaCatalog catalog, List<ServedResource> served, String version) {
        ObjectNode doc = Schemas.object();
        doc.put("openapi", "3.0.0");
        doc.putObject("info").put("title", "Kubernetes").put("version", version);
        ObjectNode paths = doc.putObject("paths");
        Map<String, ObjectNode> own = new LinkedHashMap<>();
        Set<String> referenced = new LinkedHashSet<>();
        for (ServedResource r : served) {
            ResourceSchemas schemas = ResourceSchemas.of(r, catalog);
            own.putAll(schemas.own());
            referenced.add(schemas.kindDefinition());
            List<ResourceEndpoints.Endpoint> endpoints = ResourceEndpoints.of(r, schemas, catalog);
            referenced.addAll(ResourceEndpoints.referencedDefinitions(endpoints));
            V3Paths.write(endpoints, paths);
        }
        ObjectNode schemas = doc.putObject("components").putObject("schemas");
        catalog.closure(own, referenced).forEach(schemas::set);
        return doc;
    }

    static byte[] serialize(JsonNode node) {
        try {
            return Schemas.MAPPER.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize an OpenAPI document", e);
        }
    }

    private static JsonNode parse(byte[] bytes) {
        try {
            return Schemas.MAPPER.readTree(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot re-read a serialized OpenAPI document", e);
        }
    }

    static String sha512(byte[] bytes) {
        try {
            return HexFormat.of().withUpperCase().formatHex(MessageDigest.getInstance("SHA-512").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-512 is missing from this JVM", e);
        }
    }
}
