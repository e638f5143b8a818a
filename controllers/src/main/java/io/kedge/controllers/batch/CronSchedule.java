package io.kedge.controllers.batch;

import java.time.Instant;
import java.time.ZoneId;
import java.util.Optional;

/**
 * When a CronJob fires: a five-field cron expression, a descriptor such as {@code @daily}, or
 * {@code @every <duration>}, with the semantics upstream's scheduler library gives them.
 */
public interface CronSchedule {

    /**
     * The first firing strictly after {@code after}, read on the wall clock of {@code zone}; empty
     * when the schedule does not fire within five years (e.g. "0 0 30 2 *").
     */
    Optional<Instant> nextAfter(Instant after, ZoneId zone);

    /**
     * The last firing at or before {@code now} of the sequence that begins with the first firing after
     * {@code start}; empty when that first firing is later than {@code now}. Cheap however far back
     * {@code start} lies.
     */
    Optional<Instant> lastAtOrBefore(Instant start, Instant now, ZoneId zone);

    /** @throws IllegalArgumentException naming what is wrong with the expression */
    static CronSchedule parse(String expression) {
        return CronExpressionParser.parse(expression);
    }
}
