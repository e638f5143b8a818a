package io.kedge.pki;

/** Certificate, key or kubeconfig material that cannot be used; the message names the file or field at fault. */
public class PkiException extends RuntimeException {
    public PkiException(String message) {
        super(message);
    }

    public PkiException(String message, Throwable cause) {
        super(message, cause);
    }
}
