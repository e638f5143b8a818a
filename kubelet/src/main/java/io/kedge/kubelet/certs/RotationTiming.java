package io.kedge.kubelet.certs;

import java.time.Duration;

/**
 * How patiently certificates are renewed.
 *
 * @param firstBackoff  the wait after a first failed renewal; it doubles with each failure after that
 * @param maxBackoff    the longest wait between two attempts
 * @param approvalWait  how long one attempt waits for its CSR to be approved and signed
 */
public record RotationTiming(Duration firstBackoff, Duration maxBackoff, Duration approvalWait) {
    public static final RotationTiming DEFAULT = new RotationTiming(Duration.ofSeconds(5), Duration.ofMinutes(2),
            Duration.ofMinutes(2));

    public RotationTiming {
        if (firstBackoff.isNegative() || firstBackoff.isZero() || maxBackoff.compareTo(firstBackoff) < 0
                || approvalWait.isNegative() || approvalWait.isZero()) {
            throw new IllegalArgumentException("rotation back-off and approval wait must be positive, the longest back-off "
                    + "no shorter than the first");
        }
    }
}
