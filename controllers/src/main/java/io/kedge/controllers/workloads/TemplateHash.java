package io.kedge.controllers.workloads;

import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code pod-template-hash} of a Deployment's template, and template equality that ignores it.
 *
 * <p>Both work on a canonical form of the template: keys sorted, and nulls, empty lists and empty
 * objects dropped. Go clients and servers write an empty struct as {@code {}} where others omit it
 * ({@code kubectl rollout undo} sends {@code "resources": {}}), and upstream's semantic equality
 * does not tell those apart either. (An empty object is never the only difference between two
 * valid templates: a volume must have a source.)
 *
 * <p>The hash is FNV-1a (32 bit) over the canonical JSON, followed by the
 * collision count as four little-endian bytes when there is one. Its decimal digits are then
 * spelled in an alphabet without vowels, so that a hash never reads as a word. It is stable for a
 * template across processes and versions of this code, though not equal to upstream's value
 * (which hashes Go's in-memory layout); nothing relies on that equality, since an existing
 * ReplicaSet is found by template equality, never by hash.
 */
final class TemplateHash {
    static final String LABEL = "pod-template-hash";
    private static final String ALPHABET = "bcdfghjklmnpqrstvwxz2456789";

    private final KubernetesSerialization serialization;

    TemplateHash(KubernetesSerialization serialization) {
        this.serialization = serialization;
    }

    String hash(PodTemplateSpec template, Integer collisionCount) {
        byte[] json = serialization.asJson(canonical(template, false)).getBytes(StandardCharsets.UTF_8);
        int h = 0x811c9dc5;
        for (byte b : json) {
            h ^= (b & 0xff);
            h *= 0x01000193;
        }
        if (collisionCount != null) {
            int c = collisionCount;
            for (int i = 0; i < 4; i++) {
                h ^= (c >>> (8 * i)) & 0xff;
                h *= 0x01000193;
            }
        }
        return safeEncode(Long.toString(h & 0xffffffffL));
    }

    static String safeEncode(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            out.append(ALPHABET.charAt(c % ALPHABET.length()));
        }
        return out.toString();
    }

    /** Equal templates, ignoring the pod-template-hash label either may carry. */
    boolean equalIgnoringHash(PodTemplateSpec a, PodTemplateSpec b) {
        return canonical(a, true).equals(canonical(b, true));
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> canonical(PodTemplateSpec template, boolean withoutHashLabel) {
        // a fresh, mutable copy
        Map<String, Object> raw = template == null ? new TreeMap<>() : serialization.convertValue(template, Map.class);
        if (withoutHashLabel && raw.get("metadata") instanceof Map<?, ?> meta && meta.get("labels") instanceof Map<?, ?> labels) {
            labels.remove(LABEL);
        }
        Object tree = canonical(raw);
        return tree == null ? new TreeMap<>() : (Map<String, Object>) tree;
    }

    private static Object canonical(Object v) {
        if (v instanceof Map<?, ?> m) {
            TreeMap<String, Object> out = new TreeMap<>();
            m.forEach((k, val) -> {
                Object c = canonical(val);
                if (c != null) {
                    out.put(String.valueOf(k), c);
                }
            });
            return out.isEmpty() ? null : out;
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>(l.size());
            for (Object e : l) {
                Object c = canonical(e);
                out.add(c == null ? new TreeMap<>() : c);
            }
            return out.isEmpty() ? null : out;
        }
        if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
            return ((Number) v).longValue();
        }
        return v;
    }
}
