package io.kedge.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;

/** When an Event (core/v1 or events.k8s.io/v1) last changed, by the times it names for itself. */
public final class EventTimes {
    private static final List<String> TIMES = List.of("lastTimestamp", "firstTimestamp", "eventTime", "deprecatedLastTimestamp",
            "deprecatedFirstTimestamp");

    private EventTimes() {
    }

    /** The latest of its own times, its series' last observation, its creation and its managed-field writes; empty when none. */
    public static Optional<Instant> lastChange(JsonNode event) {
        Instant latest = null;
        for (String field : TIMES) {
            latest = later(latest, event.path(field));
        }
        latest = later(latest, event.path("series").path("lastObservedTime"));
        latest = later(latest, event.path("metadata").path("creationTimestamp"));
        for (JsonNode entry : event.path("metadata").path("managedFields")) {
            latest = later(latest, entry.path("time"));
        }
        return Optional.ofNullable(latest);
    }

    private static Instant later(Instant latest, JsonNode time) {
        if (!time.isTextual() || time.asText().isEmpty()) {
            return latest;
        }
        try {
            Instant t = Instant.parse(time.asText());
            return latest == null || t.isAfter(latest) ? t : latest;
        } catch (DateTimeParseException unreadable) {
            return latest;
        }
    }
}
