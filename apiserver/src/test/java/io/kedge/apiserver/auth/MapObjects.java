package io.kedge.apiserver.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kedge.api.Json;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/** Objects held in a map, standing in for the watch cache. */
final class MapObjects implements ObjectLookup {
    private final Map<String, JsonNode> objects = new ConcurrentHashMap<>();

    @Override
    public Optional<JsonNode> find(String resource, String namespace, String name) {
        return Optional.ofNullable(objects.get(key(resource, namespace, name)));
    }

    /** Stores a new object with a fresh uid and returns it. */
    ObjectNode put(String resource, String namespace, String name) {
        ObjectNode obj = Json.object();
        ObjectNode meta = obj.putObject("metadata").put("name", name).put("uid", UUID.randomUUID().toString());
        if (namespace != null) meta.put("namespace", namespace);
        objects.put(key(resource, namespace, name), obj);
        return obj;
    }

    void remove(String resource, String namespace, String name) {
        objects.remove(key(resource, namespace, name));
    }

    private static String key(String resource, String namespace, String name) {
        return resource + "/" + namespace + "/" + name;
    }
}
