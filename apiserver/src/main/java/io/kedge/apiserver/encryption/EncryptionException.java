package io.kedge.apiserver.encryption;

/** A stored value that cannot be opened, or a config that cannot be used; the message says which and why. */
public final class EncryptionException extends RuntimeException {
    public EncryptionException(String message) {
        super(message);
    }
}
