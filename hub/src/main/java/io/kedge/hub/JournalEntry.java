package io.kedge.hub;

import java.time.Instant;

/** A node write accepted while the cloud was unreachable, waiting to be replayed in {@code seq} order. */
record JournalEntry(long seq, String method, String pathAndQuery, String contentType, byte[] body, Instant created) {
    ApiPath path() {
        return ApiPath.parse(pathAndQuery);
    }
}
