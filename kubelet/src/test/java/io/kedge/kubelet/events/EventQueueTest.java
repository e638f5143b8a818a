package io.kedge.kubelet.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import org.junit.jupiter.api.Test;

class EventQueueTest {
    @Test
    void aFullQueueDropsTheOldestEventAndCountsIt() throws Exception {
        EventQueue queue = new EventQueue(2);

        queue.add(event("first"));
        queue.add(event("second"));
        queue.add(event("third"));

        assertThat(queue.dropped()).isEqualTo(1);
        assertThat(queue.take().getReason()).isEqualTo("second");
        queue.done();
        assertThat(queue.take().getReason()).isEqualTo("third");
    }

    @Test
    void aQueueWithoutRoomIsRefused() {
        assertThatThrownBy(() -> new EventQueue(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least one event");
    }

    private static Event event(String reason) {
        return new EventBuilder().withReason(reason).build();
    }
}
