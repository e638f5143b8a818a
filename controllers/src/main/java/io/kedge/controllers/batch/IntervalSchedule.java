package io.kedge.controllers.batch;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/** {@code @every <duration>}: a fixed delay in whole seconds, at least one, independent of any time zone. */
record IntervalSchedule(Duration every) implements CronSchedule {

    IntervalSchedule {
        every = every.truncatedTo(ChronoUnit.SECONDS);
        if (every.compareTo(Duration.ofSeconds(1)) < 0) {
            every = Duration.ofSeconds(1);
        }
    }

    @Override
    public Optional<Instant> nextAfter(Instant after, ZoneId zone) {
        return Optional.of(after.truncatedTo(ChronoUnit.SECONDS).plus(every));
    }

    @Override
    public Optional<Instant> lastAtOrBefore(Instant start, Instant now, ZoneId zone) {
        Instant first = start.truncatedTo(ChronoUnit.SECONDS).plus(every);
        if (first.isAfter(now)) {
            return Optional.empty();
        }
        long steps = Duration.between(first, now).dividedBy(every);
        return Optional.of(first.plus(every.multipliedBy(steps)));
    }
}
