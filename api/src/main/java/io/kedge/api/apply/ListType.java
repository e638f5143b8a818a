package io.kedge.api.apply;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How server-side apply treats one list: replaced whole ({@link Kind#ATOMIC}), merged as a set of primitives
 * ({@link Kind#SET}), or merged element by element, elements identified by the values of {@link #keys()}
 * ({@link Kind#MAP}, a Kubernetes "list-map").
 *
 * @param keyDefaults values of key fields an element may leave out because the server defaults them (a port's
 *                    {@code protocol} is {@code TCP}), so that an applied element and its defaulted live copy
 *                    are the same element
 */
public record ListType(Kind kind, List<String> keys, Map<String, JsonNode> keyDefaults) {

    public enum Kind { ATOMIC, SET, MAP }

    public static final ListType ATOMIC = new ListType(Kind.ATOMIC, List.of(), Map.of());
    public static final ListType SET = new ListType(Kind.SET, List.of(), Map.of());

    public ListType {
        Objects.requireNonNull(kind, "kind");
        keys = keys == null ? List.of() : List.copyOf(keys);
        keyDefaults = keyDefaults == null ? Map.of() : Map.copyOf(keyDefaults);
        if (kind == Kind.MAP && keys.isEmpty()) {
            throw new IllegalArgumentException("a map list needs at least one key field");
        }
        if (kind != Kind.MAP && !keys.isEmpty()) {
            throw new IllegalArgumentException("only a map list has key fields, got " + kind + " with " + keys);
        }
        if (keys.stream().anyMatch(k -> k == null || k.isEmpty())) {
            throw new IllegalArgumentException("key fields must be non-empty names, got " + keys);
        }
        for (String field : keyDefaults.keySet()) {
            if (!keys.contains(field)) {
                throw new IllegalArgumentException("a default is given for \"" + field + "\", which is not one of the key fields " + keys);
            }
        }
    }

    public static ListType map(String... keys) {
        return new ListType(Kind.MAP, List.of(keys), Map.of());
    }

    /** This map list, with {@code field} taking {@code value} in elements that leave it out. */
    public ListType withKeyDefault(String field, JsonNode value) {
        Map<String, JsonNode> defaults = new LinkedHashMap<>(keyDefaults);
        defaults.put(field, Objects.requireNonNull(value, "value"));
        return new ListType(kind, keys, defaults);
    }

    public boolean isGranular() {
        return kind != Kind.ATOMIC;
    }
}
