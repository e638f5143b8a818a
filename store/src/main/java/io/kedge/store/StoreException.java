package io.kedge.store;

/** Failures a caller can act on; anything else is an unchecked {@link StoreUnavailable}. */
public abstract class StoreException extends Exception {
    protected StoreException(String message) {
        super(message);
    }

    public static final class KeyExists extends StoreException {
        public KeyExists(String key) { super("key exists: " + key); }
    }

    public static final class NotFound extends StoreException {
        public NotFound(String key) { super("key not found: " + key); }
    }

    public static final class Conflict extends StoreException {
        private final long actualModRevision;

        public Conflict(String key, long actualModRevision) {
            super("key " + key + " was modified at revision " + actualModRevision);
            this.actualModRevision = actualModRevision;
        }

        public long actualModRevision() { return actualModRevision; }
    }

    public static final class Compacted extends StoreException {
        private final long compactedRevision;

        public Compacted(long requested, long compactedRevision) {
            super("revision " + requested + " is compacted (oldest kept: " + compactedRevision + ")");
            this.compactedRevision = compactedRevision;
        }

        public long compactedRevision() { return compactedRevision; }
    }

    /** The backend failed (disk full, connection lost); the write may not have happened. */
    public static final class StoreUnavailable extends RuntimeException {
        public StoreUnavailable(String message, Throwable cause) { super(message, cause); }
    }
}
