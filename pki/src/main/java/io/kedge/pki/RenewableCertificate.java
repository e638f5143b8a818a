package io.kedge.pki;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A certificate that is replaced while in use, such as a node's rotated serving certificate. Whoever
 * serves or connects with it reads {@link #current()} for each new connection, or listens for
 * replacements, so that a rotation needs no restart; connections already open keep theirs.
 */
public final class RenewableCertificate implements Supplier<IssuedCertificate> {
    private final List<Consumer<IssuedCertificate>> listeners = new CopyOnWriteArrayList<>();
    private volatile IssuedCertificate current;

    public RenewableCertificate(IssuedCertificate initial) {
        if (initial == null) {
            throw new IllegalArgumentException("a renewable certificate starts with a certificate");
        }
        this.current = initial;
    }

    public IssuedCertificate current() {
        return current;
    }

    @Override
    public IssuedCertificate get() {
        return current;
    }

    /**
     * Tells every listener of {@code next}, in the order they were added, and then installs it: whoever
     * sees it as {@link #current()} can rely on the listeners (a server's TLS context, the hub's client)
     * having taken it. It is installed even when a listener fails.
     */
    public synchronized void replace(IssuedCertificate next) {
        if (next == null) {
            throw new IllegalArgumentException("a certificate cannot be replaced by nothing");
        }
        try {
            for (Consumer<IssuedCertificate> listener : listeners) {
                listener.accept(next);
            }
        } finally {
            current = next;
        }
    }

    /** {@code listener} is called with each replacement from now on (not with the current one). */
    public void onChange(Consumer<IssuedCertificate> listener) {
        listeners.add(listener);
    }
}
