package io.kedge.controllers.framework;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class WorkQueueTest {
    @Test
    void aKeyAddedManyTimesIsQueuedOnce() throws Exception {
        WorkQueue q = new WorkQueue("t");
        q.add("a");
        q.add("a");
        q.add("b");
        assertThat(q.length()).isEqualTo(2);
        assertThat(q.take()).isEqualTo("a");
        assertThat(q.take()).isEqualTo("b");
        q.shutdown();
    }

    @Test
    void aKeyAddedWhileBeingProcessedComesBackAfterDoneNotBefore() throws Exception {
        WorkQueue q = new WorkQueue("t");
        q.add("a");
        String k = q.take();
        q.add("a");
        assertThat(q.length()).as("not handed to a second worker while the first holds it").isZero();
        q.done(k);
        assertThat(q.length()).isEqualTo(1);
        assertThat(q.take()).isEqualTo("a");
        q.shutdown();
    }

    @Test
    void failedKeysReturnAfterABackOffThatForgetResets() throws Exception {
        WorkQueue q = new WorkQueue("t");
        q.addRateLimited("a");
        q.addRateLimited("a");
        assertThat(q.failures("a")).isEqualTo(2);
        assertThat(q.take()).isEqualTo("a");
        q.done("a");
        q.forget("a");
        assertThat(q.failures("a")).isZero();
        q.shutdown();
        assertThat(q.take()).isNull();
    }

    @Test
    void aKeyAddedAfterADelayArrivesThen() throws Exception {
        WorkQueue q = new WorkQueue("t");
        q.addAfter("b", Duration.ofMillis(20));
        assertThat(q.length()).isZero();
        assertThat(q.take()).isEqualTo("b");
        q.shutdown();
    }
}
