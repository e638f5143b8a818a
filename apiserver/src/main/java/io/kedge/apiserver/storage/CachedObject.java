package io.kedge.apiserver.storage;

import java.util.Map;

/**
 * One object as the cache keeps it: its serialized bytes (resourceVersion included) and the few
 * values selectors need, so that LIST and WATCH filter without parsing.
 */
public record CachedObject(
        String key,
        String namespace,
        String name,
        Map<String, String> labels,
        Map<String, String> fields,
        byte[] json,
        long revision) {
}
