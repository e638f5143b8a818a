package io.kedge.hub;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Optional;

/**
 * What the node's client certificate looks like to an operator: when it expires, when it was last
 * rotated, and, when the node cannot renew it by itself, what a person must do. The hub's metrics
 * and {@code kedge agent status} show it.
 */
public final class ClientCertificateStatus {
    private volatile Instant notAfter;
    private volatile Instant lastRotation;
    private volatile String actionNeeded;

    ClientCertificateStatus(X509Certificate initial) {
        this.notAfter = initial == null ? null : initial.getNotAfter().toInstant();
    }

    /** A new certificate is in use: the problem, if any, is solved. */
    void rotated(X509Certificate certificate, Instant at) {
        notAfter = certificate.getNotAfter().toInstant();
        lastRotation = at;
        actionNeeded = null;
    }

    /** The node cannot get a new certificate by itself; {@code message} says what a person must do. */
    public void actionNeeded(String message) {
        actionNeeded = message;
    }

    /** Empty while the node authenticates with a token rather than a certificate. */
    public Optional<Instant> notAfter() {
        return Optional.ofNullable(notAfter);
    }

    public Optional<Instant> lastRotation() {
        return Optional.ofNullable(lastRotation);
    }

    public Optional<String> actionNeeded() {
        return Optional.ofNullable(actionNeeded);
    }
}
