package io.kedge.controllers.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

class SliceTrackerTest {
    private final SliceTracker tracker = new SliceTracker();

    @Test
    void theCacheIsStaleUntilItHoldsWhatWasWritten() {
        tracker.written("ns/web", slice("web-abc", 3));

        assertThat(tracker.stale("ns/web", List.of())).isTrue();
        assertThat(tracker.stale("ns/web", List.of(slice("web-abc", 2)))).isTrue();
        assertThat(tracker.stale("ns/web", List.of(slice("web-abc", 3)))).isFalse();
    }

    @Test
    void theCacheIsStaleWhileItStillHoldsADeletedSlice() {
        tracker.deleted("ns/web", "web-old");

        assertThat(tracker.stale("ns/web", List.of(slice("web-old", 1)))).isTrue();
        assertThat(tracker.stale("ns/web", List.of())).isFalse();
    }

    @Test
    void otherServicesAreNotConcerned() {
        tracker.written("ns/web", slice("web-abc", 1));

        assertThat(tracker.stale("ns/db", List.of())).isFalse();
    }

    private static EndpointSlice slice(String name, long generation) {
        return new EndpointSliceBuilder().withNewMetadata().withName(name).withGeneration(generation).endMetadata().build();
    }
}
