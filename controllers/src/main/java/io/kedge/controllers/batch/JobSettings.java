package io.kedge.controllers.batch;

import java.time.Duration;

/**
 * Tunables of the Job controller.
 *
 * @param podFailureBackoff the delay before replacing a failed pod, doubled for each further failure
 * @param maxPodFailureBackoff the most that delay grows to
 * @param workers how many Jobs are reconciled at once
 */
record JobSettings(Duration podFailureBackoff, Duration maxPodFailureBackoff, int workers) {
    /** Upstream's values: 10 s doubling up to 10 min. */
    static JobSettings defaults() {
        return new JobSettings(Duration.ofSeconds(10), Duration.ofMinutes(10), 4);
    }
}
