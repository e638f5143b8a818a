package io.kedge.controllers.nodes;

import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Writes computed from an informer's copy, which may be a step behind the server: a 409 Conflict
 * is answered by reading the object afresh and computing the write again, a few times, instead of
 * failing the whole reconcile into back-off.
 */
public final class Conflicts {
    static final int ATTEMPTS = 3;

    private Conflicts() {}

    /**
     * @param cached the informer's copy, tried first
     * @param fresh  reads the object from the API; null if it is gone
     * @param write  computes and sends the write for a given state of the object
     * @return what {@code write} returned, or null if the object is gone
     */
    public static <T, R> R retry(T cached, Supplier<T> fresh, Function<T, R> write) {
        T current = cached;
        for (int attempt = 1; ; attempt++) {
            try {
                return write.apply(current);
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409 || attempt >= ATTEMPTS) {
                    throw e;
                }
                current = fresh.get();
                if (current == null) {
                    return null;
                }
            }
        }
    }
}
