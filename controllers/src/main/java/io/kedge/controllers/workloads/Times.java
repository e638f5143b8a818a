package io.kedge.controllers.workloads;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/** metav1.Time on the wire: RFC 3339 in UTC, whole seconds. */
final class Times {
    private Times() {}

    static String now(Clock clock) {
        return Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString();
    }

    /** @return null for a missing or unreadable time, which callers treat as "zero time" */
    static Instant parse(String s) {
        if (s == null || s.isEmpty()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(s).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
