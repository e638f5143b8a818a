package io.kedge.apiserver.encryption;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * One named AES-GCM key. A sealed value is a 12-byte random nonce, then the ciphertext with its
 * 16-byte tag; the storage key is the additional authenticated data, so that a sealed value moved
 * to another key no longer opens.
 */
final class AesGcmKey {
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String name;
    private final SecretKeySpec key;

    AesGcmKey(String name, byte[] secret) {
        if (name == null || name.isEmpty() || name.contains(":")) {
            throw new IllegalArgumentException("an aesgcm key needs a name without ':', got \"" + name + "\"");
        }
        if (secret.length != 16 && secret.length != 24 && secret.length != 32) {
            throw new IllegalArgumentException("aesgcm key \"" + name + "\" is " + secret.length
                    + " bytes; it must be 16, 24 or 32 bytes (base64 of an AES key)");
        }
        this.name = name;
        this.key = new SecretKeySpec(secret, "AES");
    }

    String name() {
        return name;
    }

    byte[] seal(byte[] plain, byte[] additionalData) {
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            c.updateAAD(additionalData);
            byte[] sealed = c.doFinal(plain);
            byte[] out = Arrays.copyOf(nonce, NONCE_BYTES + sealed.length);
            System.arraycopy(sealed, 0, out, NONCE_BYTES, sealed.length);
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available in this JVM", e);
        }
    }

    byte[] open(byte[] sealed, byte[] additionalData) throws GeneralSecurityException {
        if (sealed.length < NONCE_BYTES + TAG_BITS / 8) {
            throw new GeneralSecurityException("the sealed value is too short to hold a nonce and a tag");
        }
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
        c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, sealed, 0, NONCE_BYTES));
        c.updateAAD(additionalData);
        return c.doFinal(sealed, NONCE_BYTES, sealed.length - NONCE_BYTES);
    }
}
