package io.kedge.controllers.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class UnschedulablePodsTest {
    private final AtomicLong now = new AtomicLong();
    private final UnschedulablePods pods = new UnschedulablePods(now::get);

    @Test
    void backOffDoublesFromOneSecondUpToTenSeconds() {
        assertThat(UnschedulablePods.backoff(1)).isEqualTo(Duration.ofSeconds(1));
        assertThat(UnschedulablePods.backoff(2)).isEqualTo(Duration.ofSeconds(2));
        assertThat(UnschedulablePods.backoff(4)).isEqualTo(Duration.ofSeconds(8));
        assertThat(UnschedulablePods.backoff(5)).isEqualTo(Duration.ofSeconds(10));
        assertThat(UnschedulablePods.backoff(500)).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void aMoveRequeuesEachPodAfterWhatRemainsOfItsBackOff() {
        pods.failed("ns/a", false);
        pods.failed("ns/b", false);
        pods.failed("ns/b", false);
        now.addAndGet(Duration.ofMillis(1500).toNanos());
        Map<String, Duration> requeued = new HashMap<>();
        pods.move(false, requeued::put);
        assertThat(requeued).containsEntry("ns/a", Duration.ZERO).containsEntry("ns/b", Duration.ofMillis(500));
    }

    @Test
    void aPodAffinityMoveOnlyRequeuesPodsRefusedForPodAffinity() {
        pods.failed("ns/cpu", false);
        pods.failed("ns/affinity", true);
        Map<String, Duration> requeued = new HashMap<>();
        pods.move(true, requeued::put);
        assertThat(requeued).containsOnlyKeys("ns/affinity");
        pods.clear("ns/affinity");
        assertThat(pods.size()).isEqualTo(1);
    }
}
