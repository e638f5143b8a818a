package io.kedge.kubelet.certs;

import java.io.IOException;

/** The cloud was reached, and refused the node's certificate: it has expired, or is no longer trusted. */
final class CredentialsRefusedException extends IOException {
    CredentialsRefusedException(String message, Throwable cause) {
        super(message, cause);
    }
}
