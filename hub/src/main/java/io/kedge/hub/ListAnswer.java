package io.kedge.hub;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kedge.api.Json;
import io.kedge.api.Meta;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A LIST answer on its way into the cache. Read from the cloud's bytes, it is scanned token by token:
 * the head, and each item's key, resourceVersion and own bytes. An item becomes a tree only when the
 * cache lacks it in that version; building trees of every item was most of what recording a list cost.
 *
 * @param continueToken the answer's {@code metadata.continue}; null when it is the last (or only) page
 */
record ListAnswer(String kind, String apiVersion, String resourceVersion, String continueToken, List<Item> items) {

    /** One item: its bytes as the cloud sent them, or its tree when the list was one already. */
    record Item(String namespace, String name, String resourceVersion, byte[] bytes, ObjectNode tree) {
        /** The object as the cache keeps it: with the kind and apiVersion list items leave out. */
        ObjectNode object(String itemKind, String apiVersion) {
            ObjectNode obj = tree != null ? tree : Json.trusted(bytes);
            if (itemKind != null && !obj.has("kind")) {
                obj.put("kind", itemKind);
            }
            if (apiVersion != null && !obj.has("apiVersion")) {
                obj.put("apiVersion", apiVersion);
            }
            return obj;
        }
    }

    /** The kind of the list's items: {@code PodList} lists {@code Pod}s; null when the kind is not a list's. */
    String itemKind() {
        return kind != null && kind.endsWith("List") ? kind.substring(0, kind.length() - 4) : null;
    }

    /** A list already parsed (the pod endpoint's answers): its items are taken as they are. */
    static ListAnswer of(JsonNode list) {
        List<Item> items = new ArrayList<>();
        for (JsonNode item : list.path("items")) {
            if (item instanceof ObjectNode obj) {
                items.add(new Item(ObjectFilter.namespaceOf(obj), Meta.name(obj), Meta.resourceVersion(obj), null, obj));
            }
        }
        JsonNode metadata = list.path("metadata");
        return new ListAnswer(Meta.text(list, "kind"), Meta.text(list, "apiVersion"), Meta.resourceVersion(list),
                Meta.text(metadata, "continue"), items);
    }

    /** Scans a JSON answer; an answer that is not a JSON object (or not JSON) is refused. */
    static ListAnswer scan(byte[] body) {
        try (JsonParser p = Json.MAPPER.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("the answer is not a JSON object");
            }
            String kind = null;
            String apiVersion = null;
            String rv = null;
            String next = null;
            List<Item> items = new ArrayList<>();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                switch (field) {
                    case "kind" -> kind = value == JsonToken.VALUE_STRING ? p.getText() : null;
                    case "apiVersion" -> apiVersion = value == JsonToken.VALUE_STRING ? p.getText() : null;
                    case "metadata" -> {
                        String[] head = versionAndContinue(p);
                        rv = head[0];
                        next = head[1];
                    }
                    case "items" -> {
                        if (value == JsonToken.START_ARRAY) {
                            scanItems(p, body, items);
                        } else {
                            p.skipChildren();
                        }
                    }
                    default -> p.skipChildren();
                }
            }
            return new ListAnswer(kind, apiVersion, rv, next == null || next.isEmpty() ? null : next, items);
        } catch (IOException e) {
            throw new IllegalArgumentException("the answer is not valid JSON: " + e.getMessage(), e);
        }
    }

    /** The list's {@code metadata.resourceVersion} and {@code metadata.continue}; the parser is at the object's start. */
    private static String[] versionAndContinue(JsonParser p) throws IOException {
        String[] head = new String[2];
        if (p.currentToken() != JsonToken.START_OBJECT) {
            p.skipChildren();
            return head;
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            if (value != JsonToken.VALUE_STRING) {
                p.skipChildren();
            } else if (field.equals("resourceVersion")) {
                head[0] = p.getText();
            } else if (field.equals("continue")) {
                head[1] = p.getText();
            }
        }
        return head;
    }

    private static void scanItems(JsonParser p, byte[] body, List<Item> items) throws IOException {
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
            if (t != JsonToken.START_OBJECT) {
                p.skipChildren();
                continue;
            }
            int start = (int) p.currentTokenLocation().getByteOffset();
            String namespace = "";
            String name = null;
            String rv = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                boolean metadata = "metadata".equals(p.currentName());
                if (p.nextToken() != JsonToken.START_OBJECT || !metadata) {
                    p.skipChildren();
                    continue;
                }
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String field = p.currentName();
                    JsonToken value = p.nextToken();
                    if (value != JsonToken.VALUE_STRING) {
                        p.skipChildren();
                    } else if (field.equals("name")) {
                        name = p.getText();
                    } else if (field.equals("namespace")) {
                        namespace = p.getText();
                    } else if (field.equals("resourceVersion")) {
                        rv = p.getText();
                    }
                }
            }
            int end = (int) p.currentLocation().getByteOffset();
            items.add(new Item(namespace, name, rv, Arrays.copyOfRange(body, start, end), null));
        }
    }
}
