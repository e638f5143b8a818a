package io.kedge.apiserver.encryption;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The providers of one resource, in order: the first seals new writes; every one of them may open
 * what is stored, so a key can be rotated by putting the new one first and keeping the old.
 * Stored sealed values start with {@code k8s:enc:aesgcm:v1:<key name>:}, as upstream writes them.
 *
 * @param keys     the aesgcm keys, in the order they appear
 * @param identity whether the identity provider is listed (plaintext readable)
 * @param sealWith the key that seals writes, or empty when identity comes first (writes stay plain)
 */
record ResourceEncryption(List<AesGcmKey> keys, boolean identity, Optional<AesGcmKey> sealWith) {
    static final String PREFIX = "k8s:enc:aesgcm:v1:";
    private static final byte[] PREFIX_BYTES = PREFIX.getBytes(StandardCharsets.US_ASCII);

    byte[] seal(String storageKey, byte[] plain) {
        if (sealWith.isEmpty()) {
            return plain;
        }
        AesGcmKey k = sealWith.get();
        byte[] head = (PREFIX + k.name() + ":").getBytes(StandardCharsets.US_ASCII);
        byte[] body = k.seal(plain, storageKey.getBytes(StandardCharsets.UTF_8));
        byte[] out = Arrays.copyOf(head, head.length + body.length);
        System.arraycopy(body, 0, out, head.length, body.length);
        return out;
    }

    byte[] open(String storageKey, byte[] stored) {
        if (!startsWith(stored, PREFIX_BYTES)) {
            if (identity) {
                return stored;
            }
            throw new EncryptionException("the value of " + storageKey + " is not encrypted, and the encryption config"
                    + " does not list the identity provider that would read it");
        }
        int nameEnd = indexOf(stored, (byte) ':', PREFIX_BYTES.length);
        if (nameEnd < 0) {
            throw new EncryptionException("the value of " + storageKey + " has a malformed encryption prefix");
        }
        String name = new String(stored, PREFIX_BYTES.length, nameEnd - PREFIX_BYTES.length, StandardCharsets.US_ASCII);
        AesGcmKey key = keys.stream().filter(k -> k.name().equals(name)).findFirst().orElseThrow(() ->
                new EncryptionException("the value of " + storageKey + " was sealed with aesgcm key \"" + name
                        + "\", which the encryption config no longer lists"));
        try {
            return key.open(Arrays.copyOfRange(stored, nameEnd + 1, stored.length), storageKey.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new EncryptionException("the value of " + storageKey + " does not open with aesgcm key \"" + name
                    + "\": " + e.getMessage());
        }
    }

    private static boolean startsWith(byte[] value, byte[] prefix) {
        return value.length >= prefix.length && Arrays.equals(value, 0, prefix.length, prefix, 0, prefix.length);
    }

    private static int indexOf(byte[] value, byte b, int from) {
        for (int i = from; i < value.length; i++) {
            if (value[i] == b) {
                return i;
            }
        }
        return -1;
    }
}
