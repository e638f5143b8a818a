package io.kedge.controllers.batch;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Optional;

/**
 * The schedule arithmetic of one CronJob at one moment, apart from the API so that tests can give
 * it any clock: which scheduled time is due, and how long until the next one.
 */
final class CronJobTiming {
    /** More missed times than this earn a warning event, as upstream gives. */
    static final int MANY_MISSED = 100;
    /** Upstream wakes a little after the scheduled time so that the time has surely passed. */
    static final Duration WAKE_UP_MARGIN = Duration.ofMillis(100);

    /** A scheduled time that has come and has not been acted on, and whether many more before it were missed. */
    record Due(Instant time, boolean manyMissed) { }

    private CronJobTiming() {}

    /**
     * Where the search for due times begins: the last scheduled time, or the CronJob's creation; with
     * a starting deadline, no earlier than now minus that deadline.
     */
    static Instant earliest(Instant lastScheduleTime, Instant created, Long startingDeadlineSeconds, Instant now) {
        Instant earliest = lastScheduleTime != null ? lastScheduleTime : created;
        if (startingDeadlineSeconds != null) {
            Instant deadline = now.minusSeconds(startingDeadlineSeconds);
            if (deadline.isAfter(earliest)) {
                earliest = deadline;
            }
        }
        return earliest;
    }

    /** The latest scheduled time in (earliest, now], if there is one. */
    static Optional<Due> mostRecent(CronSchedule schedule, ZoneId zone, Instant earliest, Instant now) {
        Optional<Instant> last = schedule.lastAtOrBefore(earliest, now, zone);
        if (last.isEmpty()) {
            return Optional.empty();
        }
        int missed = 0;
        Optional<Instant> t = schedule.nextAfter(earliest, zone);
        while (t.isPresent() && !t.get().isAfter(now) && missed <= MANY_MISSED) {
            missed++;
            t = schedule.nextAfter(t.get(), zone);
        }
        return Optional.of(new Due(last.get(), missed > MANY_MISSED));
    }

    /** How long until the first scheduled time after both {@code earliest} and now; empty if there is none. */
    static Optional<Duration> untilNext(CronSchedule schedule, ZoneId zone, Instant earliest, Instant now) {
        Instant base = mostRecent(schedule, zone, earliest, now).map(Due::time).orElse(earliest);
        return schedule.nextAfter(base, zone).map(next -> Duration.between(now, next).plus(WAKE_UP_MARGIN));
    }
}
