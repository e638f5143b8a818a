package io.kedge.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class EventTimesTest {
    @Test
    void anEventsLastChangeIsTheLatestTimeItNames() {
        var event = Json.parse(("{\"metadata\":{\"creationTimestamp\":\"2026-11-27T10:00:00Z\",\"managedFields\":[{\"time\":"
                + "\"2026-11-27T10:05:00Z\"}]},\"firstTimestamp\":\"2026-11-27T10:00:00Z\",\"lastTimestamp\":\"2026-11-27T10:20:00Z\","
                + "\"series\":{\"lastObservedTime\":\"2026-11-27T10:30:00.123456Z\"}}").getBytes(), false);
        assertThat(EventTimes.lastChange(event)).contains(Instant.parse("2026-11-27T10:30:00.123456Z"));
    }

    @Test
    void anEventThatNamesNoReadableTimeHasNoLastChange() {
        assertThat(EventTimes.lastChange(Json.parse("{\"metadata\":{},\"lastTimestamp\":null,\"eventTime\":\"soon\"}".getBytes(),
                false))).isEmpty();
    }
}
