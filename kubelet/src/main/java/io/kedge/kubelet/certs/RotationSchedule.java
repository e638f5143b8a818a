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
 * failure tries again after a {@link RetryBackoff}, logging why (while the cloud stays unreachable,
 * only now and then).
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

    /** While the cloud stays unreachable, one line in this many attempts is logged. */
    private static final int UNREACHABLE_LOG_EVERY = 60;

    private final Renewal renewal;
    private final Clock clock;
    private final RetryBackoff backoff;
    private final ScheduledExecutorService timer;
    private int unreachableInARow;

    RotationSchedule(Renewal renewal, Clock clock, Duration firstBackoff, Duration maxBackoff) {
        this.renewal = renewal;
        this.clock = clock;
        this.backoff = new RetryBackoff(firstBackoff, maxBackoff);
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
            backoff.reset();
            unreachableInARow = 0;
            scheduleNext();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            Duration wait = backoff.after(e);
            boolean unreachable = RetryBackoff.unreachable(e);
            unreachableInARow = unreachable ? unreachableInARow + 1 : 0;
            if (!unreachable || unreachableInARow % UNREACHABLE_LOG_EVERY == 1) {
                LOG.warn("{}: cannot renew it now, trying again in {} s{}: {}", renewal.what(), wait.toMillis() / 1000.0,
                        unreachable ? " (the cloud is unreachable; attempt " + unreachableInARow + ")" : "", e.getMessage());
            }
            schedule(wait.toMillis());
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
