package io.kedge.hub;

import java.io.IOException;

/**
 * No cloud server answered. {@link #beforeSending()} tells whether the request certainly never
 * reached a server (every connection failed), so that the hub may answer it from the cache or
 * journal it without risking a duplicate.
 */
final class CloudUnreachableException extends IOException {
    private final boolean beforeSending;

    CloudUnreachableException(String message, boolean beforeSending, Throwable cause) {
        super(message, cause);
        this.beforeSending = beforeSending;
    }

    boolean beforeSending() {
        return beforeSending;
    }
}
