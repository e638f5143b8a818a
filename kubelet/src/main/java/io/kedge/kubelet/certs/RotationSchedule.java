package io.kedge.kubelet.certs;

import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Renews a certificate when it is due, at 70% of its lifetime (notBefore to notAfter), and after a
 * failure tries again with a back-off that doubles up to a limit, logging why each time.
 */
final class RotationSchedule implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RotationSchedule.class);
    static final double ROTATE_AT = 0.7;

    /** One certificate's renewal. */
    interface Renewal {
        /** What is renewed, for the log. */
        String what();

        /** When the next renewal is due. */
        Instant due();

        /** Gets and installs a new certificate; throws with the reason when it cannot. */
        void renew() throws Exception;
    }

    private final Renewal renewal;
    private final Clock clock;
    private final Duration firstBackoff;
    private final Duration maxBackoff;
    private final ScheduledExecutorService timer;
    private Duration backoff;

    RotationSchedule(Renewal renewal, Clock clock, Duration firstBackoff, Duration maxBackoff) {
        this.renewal = renewal;
        this.clock = clock;
        this.firstBackoff = firstBackoff;
        this.maxBackoff = maxBackoff;
        this.backoff = firstBackoff;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "cert-rotation");
            t.setDaemon(true);
            return t;
        });
    }

    /** When a certificate is due for renewal: 70% of the way from notBefore to notAfter. */
    static Instant dueAt(X509Certificate certificate) {
        Instant from = certificate.getNotBefore().toInstant();
        Duration lifetime = Duration.between(from, certificate.getNotAfter().toInstant());
        return from.plusMillis((long) (lifetime.toMillis() * ROTATE_AT));
    }

    RotationSchedule start() {
        scheduleNext();
        return this;
    }

    private void scheduleNext() {
        Instant due = renewal.due();
        long delay = Math.max(0, Duration.between(clock.instant(), due).toMillis());
        LOG.info("{}: next renewal at {}", renewal.what(), due);
        schedule(delay);
    }

    private void schedule(long delayMillis) {
        try {
            timer.schedule(this::attempt, delayMillis, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException closed) {
            // closing
        }
    }

    private void attempt() {
        try {
            renewal.renew();
            backoff = firstBackoff;
            scheduleNext();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.warn("{}: cannot renew it now, trying again in {} s: {}", renewal.what(), backoff.toMillis() / 1000.0,
                    e.getMessage());
            schedule(backoff.toMillis());
            Duration doubled = backoff.multipliedBy(2);
            backoff = doubled.compareTo(maxBackoff) > 0 ? maxBackoff : doubled;
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
