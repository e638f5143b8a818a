package io.kedge.api.table;

import java.time.Duration;
import java.time.Instant;

/**
 * The short, two-unit-at-most durations kubectl users read in AGE columns ("45s", "5m10s",
 * "3h20m", "2d3h", "1y30d"). Precision drops as the duration grows, so that a value keeps two to
 * three significant figures.
 */
public final class HumanDuration {
    private static final long MINUTE = 60;
    private static final long HOUR = 60 * MINUTE;
    private static final long DAY = 24 * HOUR;
    private static final long YEAR = 365 * DAY;

    private HumanDuration() {}

    /** The age of something that happened at {@code then}, seen at {@code now}. */
    public static String since(Instant then, Instant now) {
        return format(Duration.between(then, now));
    }

    public static String format(Duration d) {
        // A clock up to a second ahead of ours still reads as "now"; further ahead is nonsense.
        long wholeSeconds = d.isNegative() ? -d.negated().getSeconds() : d.getSeconds();
        if (wholeSeconds < -1) {
            return "<invalid>";
        }
        if (wholeSeconds < 0) {
            return "0s";
        }
        long s = wholeSeconds;
        if (s < 2 * MINUTE) {
            return s + "s";
        }
        if (s < 10 * MINUTE) {
            return withRemainder(s / MINUTE, "m", s % MINUTE, "s");
        }
        if (s < 3 * HOUR) {
            return s / MINUTE + "m";
        }
        if (s < 8 * HOUR) {
            return withRemainder(s / HOUR, "h", s % HOUR / MINUTE, "m");
        }
        if (s < 2 * DAY) {
            return s / HOUR + "h";
        }
        if (s < 8 * DAY) {
            return withRemainder(s / DAY, "d", s % DAY / HOUR, "h");
        }
        if (s < 2 * YEAR) {
            return s / DAY + "d";
        }
        if (s < 8 * YEAR) {
            return withRemainder(s / YEAR, "y", s % YEAR / DAY, "d");
        }
        return s / YEAR + "y";
    }

    private static String withRemainder(long major, String majorUnit, long minor, String minorUnit) {
        return minor == 0 ? major + majorUnit : major + majorUnit + minor + minorUnit;
    }
}
