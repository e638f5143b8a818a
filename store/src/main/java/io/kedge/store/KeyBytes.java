package io.kedge.store;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Keys as the UTF-8 bytes both backends order them by, and the bounds of a prefix. */
final class KeyBytes {
    private KeyBytes() {}

    static byte[] key(String key) {
        if (key == null || key.isEmpty()) {
            throw new IllegalArgumentException("key must be a non-empty string, got "
                    + (key == null ? "null" : "\"\""));
        }
        return key.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] prefix(String prefix) {
        if (prefix == null) {
            throw new IllegalArgumentException("prefix must not be null (use \"\" for every key)");
        }
        return prefix.getBytes(StandardCharsets.UTF_8);
    }

    static String string(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /**
     * The smallest byte string greater than every string starting with {@code prefix}, or null
     * when there is none (empty prefix, or only 0xFF bytes).
     */
    static byte[] prefixEnd(byte[] prefix) {
        for (int i = prefix.length - 1; i >= 0; i--) {
            if (prefix[i] != (byte) 0xFF) {
                byte[] end = Arrays.copyOf(prefix, i + 1);
                end[i]++;
                return end;
            }
        }
        return null;
    }

    /** The smallest byte string greater than {@code key}. */
    static byte[] successor(byte[] key) {
        return Arrays.copyOf(key, key.length + 1);
    }

    /** Where a range read starts: the prefix itself, or just past {@code startAfter} if later. */
    static byte[] rangeStart(byte[] prefix, String startAfter) {
        if (startAfter == null) {
            return prefix;
        }
        byte[] next = successor(startAfter.getBytes(StandardCharsets.UTF_8));
        return Arrays.compareUnsigned(next, prefix) > 0 ? next : prefix;
    }

    static boolean hasPrefix(byte[] key, byte[] prefix) {
        return key.length >= prefix.length
                && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
    }

    static byte[] value(byte[] value) {
        if (value == null) {
            throw new IllegalArgumentException("value must not be null (use an empty array)");
        }
        return value;
    }

    static void checkRevision(String what, long revision) {
        if (revision < 0) {
            throw new IllegalArgumentException(what + " must be >= 0, got " + revision);
        }
    }

    static void checkLimit(int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("limit must be >= 0 (0 = no limit), got " + limit);
        }
    }
}
