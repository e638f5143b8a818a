package io.kedge.controllers.batch;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.Optional;

/**
 * A five-field schedule as bit sets of the allowed minutes, hours, days of the month, months and
 * days of the week.
 *
 * <p>Day matching follows the classic cron rule: when either day field was written as {@code *}
 * (or {@code ?}, without a step) both must match; otherwise either may. A firing is an instant whose
 * wall-clock time in the zone matches, so across daylight-saving changes a time that does not exist
 * that day is skipped and a time that occurs twice fires twice, as upstream's scheduler does.
 */
record CalendarSchedule(long minutes, long hours, long daysOfMonth, long months, long daysOfWeek,
                        boolean anyDayOfMonth, boolean anyDayOfWeek) implements CronSchedule {

    /** Upstream's scheduler gives up looking after five years, so a schedule such as "0 0 30 2 *" never fires. */
    private static final int SEARCH_YEARS = 5;

    @Override
    public Optional<Instant> nextAfter(Instant after, ZoneId zone) {
        ZoneRules rules = zone.getRules();
        LocalDate lastDate = LocalDate.ofInstant(after, zone).plusYears(SEARCH_YEARS);
        Instant from = after.truncatedTo(ChronoUnit.MINUTES).plus(1, ChronoUnit.MINUTES);
        while (true) {
            // Between two offset transitions the wall clock is the instant plus a fixed offset, so the
            // first matching wall-clock time maps straight back to an instant unless a transition intervenes.
            ZoneOffset offset = rules.getOffset(from);
            LocalDateTime match = firstMatchAtOrAfter(LocalDateTime.ofInstant(from, offset), lastDate);
            if (match == null) {
                return Optional.empty();
            }
            Instant candidate = match.toInstant(offset);
            ZoneOffsetTransition transition = rules.nextTransition(from);
            if (transition == null || transition.getInstant().isAfter(candidate)) {
                return Optional.of(candidate);
            }
            from = ceilToMinute(transition.getInstant());
        }
    }

    @Override
    public Optional<Instant> lastAtOrBefore(Instant start, Instant now, ZoneId zone) {
        // Look back from now over windows that double in size until one holds a firing; the last firing
        // in that window is the answer. This stays cheap when start is years ago.
        for (Duration back = Duration.ofMinutes(1); ; back = back.multipliedBy(2)) {
            Instant windowStart = now.minus(back);
            boolean reachedStart = !windowStart.isAfter(start);
            if (reachedStart) {
                windowStart = start;
            }
            Optional<Instant> first = nextAfter(windowStart, zone);
            if (first.isPresent() && !first.get().isAfter(now)) {
                Instant last = first.get();
                for (Optional<Instant> next = nextAfter(last, zone); next.isPresent() && !next.get().isAfter(now);
                     next = nextAfter(last, zone)) {
                    last = next.get();
                }
                return Optional.of(last);
            }
            if (reachedStart) {
                return Optional.empty();
            }
        }
    }

    /** The first wall-clock minute at or after {@code from} that matches, or null if none by {@code lastDate}. */
    LocalDateTime firstMatchAtOrAfter(LocalDateTime from, LocalDate lastDate) {
        LocalDate date = from.toLocalDate();
        LocalTime earliest = from.toLocalTime();
        while (!date.isAfter(lastDate)) {
            if (!has(months, date.getMonthValue())) {
                date = date.withDayOfMonth(1).plusMonths(1);
                earliest = LocalTime.MIDNIGHT;
                continue;
            }
            if (dayMatches(date)) {
                LocalTime time = firstTimeAtOrAfter(earliest);
                if (time != null) {
                    return date.atTime(time);
                }
            }
            date = date.plusDays(1);
            earliest = LocalTime.MIDNIGHT;
        }
        return null;
    }

    private LocalTime firstTimeAtOrAfter(LocalTime earliest) {
        for (int hour = earliest.getHour(); hour < 24; hour++) {
            if (!has(hours, hour)) {
                continue;
            }
            int fromMinute = hour == earliest.getHour() ? earliest.getMinute() : 0;
            long candidates = minutes & (-1L << fromMinute);
            if (candidates != 0) {
                return LocalTime.of(hour, Long.numberOfTrailingZeros(candidates));
            }
        }
        return null;
    }

    private boolean dayMatches(LocalDate date) {
        boolean dom = has(daysOfMonth, date.getDayOfMonth());
        boolean dow = has(daysOfWeek, date.getDayOfWeek().getValue() % 7);
        return anyDayOfMonth || anyDayOfWeek ? dom && dow : dom || dow;
    }

    private static boolean has(long bits, int value) {
        return (bits & (1L << value)) != 0;
    }

    private static Instant ceilToMinute(Instant t) {
        Instant floor = t.truncatedTo(ChronoUnit.MINUTES);
        return floor.equals(t) ? t : floor.plus(1, ChronoUnit.MINUTES);
    }
}
