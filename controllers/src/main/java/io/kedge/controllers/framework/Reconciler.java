package io.kedge.controllers.framework;

/**
 * Brings the world in line with one object's desired state. It must be idempotent: it may run
 * any number of times for the same key, with nothing changed in between, and must then do nothing.
 */
@FunctionalInterface
public interface Reconciler {
    /**
     * @param key "namespace/name", or "name" for cluster-scoped objects
     * @return when to look at the key again even if nothing changes (e.g. a deadline), or null
     * @throws Exception to have the key retried with back-off
     */
    java.time.Duration reconcile(String key) throws Exception;
}
