package io.kedge.controllers.batch;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads the schedule syntax CronJobs accept: "minute hour day-of-month month day-of-week" with
 * {@code *}, {@code ?}, lists, ranges, steps and English month and weekday names; the descriptors
 * {@code @yearly @annually @monthly @weekly @daily @midnight @hourly}; and {@code @every <Go duration>}.
 */
final class CronExpressionParser {
    private record Field(String name, int min, int max, Map<String, Integer> names) { }

    private static final Map<String, Integer> MONTH_NAMES = Map.ofEntries(
            Map.entry("jan", 1), Map.entry("feb", 2), Map.entry("mar", 3), Map.entry("apr", 4),
            Map.entry("may", 5), Map.entry("jun", 6), Map.entry("jul", 7), Map.entry("aug", 8),
            Map.entry("sep", 9), Map.entry("oct", 10), Map.entry("nov", 11), Map.entry("dec", 12));
    private static final Map<String, Integer> DAY_NAMES = Map.of(
            "sun", 0, "mon", 1, "tue", 2, "wed", 3, "thu", 4, "fri", 5, "sat", 6);
    private static final Field MINUTE = new Field("minute", 0, 59, Map.of());
    private static final Field HOUR = new Field("hour", 0, 23, Map.of());
    private static final Field DAY_OF_MONTH = new Field("day of month", 1, 31, Map.of());
    private static final Field MONTH = new Field("month", 1, 12, MONTH_NAMES);
    private static final Field DAY_OF_WEEK = new Field("day of week", 0, 6, DAY_NAMES);
    private static final List<Field> FIELDS = List.of(MINUTE, HOUR, DAY_OF_MONTH, MONTH, DAY_OF_WEEK);
    private static final Map<String, String> DESCRIPTORS = Map.of(
            "@yearly", "0 0 1 1 *", "@annually", "0 0 1 1 *", "@monthly", "0 0 1 * *",
            "@weekly", "0 0 * * 0", "@daily", "0 0 * * *", "@midnight", "0 0 * * *", "@hourly", "0 * * * *");
    private static final Map<String, Long> UNIT_NANOS = Map.of("ns", 1L, "us", 1_000L, "\u00b5s", 1_000L,
            "\u03bcs", 1_000L, "ms", 1_000_000L, "s", 1_000_000_000L, "m", 60_000_000_000L, "h", 3_600_000_000_000L);

    /** A part of a field that selects values, and whether it was written as "any" ({@code *} or {@code ?} without a step). */
    private record Selection(long bits, boolean any) { }

    private CronExpressionParser() {}

    static CronSchedule parse(String expression) {
        if (expression == null || expression.isBlank()) {
            throw new IllegalArgumentException("empty schedule");
        }
        String spec = expression.strip();
        if (spec.startsWith("TZ=") || spec.startsWith("CRON_TZ=")) {
            throw new IllegalArgumentException("TZ and CRON_TZ in the schedule are not supported, use spec.timeZone: " + spec);
        }
        if (spec.startsWith("@")) {
            return descriptor(spec);
        }
        return calendar(spec);
    }

    private static CronSchedule descriptor(String spec) {
        String lower = spec.toLowerCase(Locale.ROOT);
        if (lower.startsWith("@every ")) {
            return new IntervalSchedule(goDuration(spec.substring("@every ".length()).strip()));
        }
        String fields = DESCRIPTORS.get(lower);
        if (fields == null) {
            throw new IllegalArgumentException("unrecognized descriptor: " + spec);
        }
        return calendar(fields);
    }

    private static CalendarSchedule calendar(String spec) {
        String[] parts = spec.split("\\s+");
        if (parts.length != FIELDS.size()) {
            throw new IllegalArgumentException("expected exactly 5 fields, found " + parts.length + ": " + spec);
        }
        Selection[] s = new Selection[parts.length];
        for (int i = 0; i < parts.length; i++) {
            s[i] = field(parts[i], FIELDS.get(i));
        }
        return new CalendarSchedule(s[0].bits(), s[1].bits(), s[2].bits(), s[3].bits(), s[4].bits(), s[2].any(), s[4].any());
    }

    private static Selection field(String text, Field f) {
        long bits = 0;
        boolean any = false;
        for (String item : text.split(",", -1)) {
            Selection s = item(item, f);
            bits |= s.bits();
            any |= s.any();
        }
        return new Selection(bits, any);
    }

    private static Selection item(String item, Field f) {
        String[] rangeAndStep = item.split("/", -1);
        if (rangeAndStep.length > 2) {
            throw new IllegalArgumentException("too many slashes in the " + f.name() + " field: " + item);
        }
        String range = rangeAndStep[0];
        String[] bounds = range.split("-", -1);
        if (bounds.length > 2) {
            throw new IllegalArgumentException("too many hyphens in the " + f.name() + " field: " + item);
        }
        int start;
        int end;
        boolean any = range.equals("*") || range.equals("?");
        if (any) {
            start = f.min();
            end = f.max();
        } else {
            start = value(bounds[0], f, item);
            end = bounds.length == 2 ? value(bounds[1], f, item) : start;
        }
        int step = 1;
        if (rangeAndStep.length == 2) {
            step = positive(rangeAndStep[1], f, item);
            if (!any && bounds.length == 1) {
                end = f.max(); // "N/step" means from N to the end of the field
            }
            if (step > 1) {
                any = false;
            }
        }
        if (start < f.min()) {
            throw new IllegalArgumentException("beginning of range (" + start + ") below minimum (" + f.min() + ") in the " + f.name() + " field: " + item);
        }
        if (end > f.max()) {
            throw new IllegalArgumentException("end of range (" + end + ") above maximum (" + f.max() + ") in the " + f.name() + " field: " + item);
        }
        if (start > end) {
            throw new IllegalArgumentException("beginning of range (" + start + ") beyond end of range (" + end + ") in the " + f.name() + " field: " + item);
        }
        long bits = 0;
        for (int v = start; v <= end; v += step) {
            bits |= 1L << v;
        }
        return new Selection(bits, any);
    }

    private static int value(String text, Field f, String item) {
        Integer named = f.names().get(text.toLowerCase(Locale.ROOT));
        if (named != null) {
            return named;
        }
        if (text.isEmpty() || text.length() > 9 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("failed to parse the " + f.name() + " value '" + text + "' in: " + item);
        }
        return Integer.parseInt(text);
    }

    private static int positive(String text, Field f, String item) {
        if (text.isEmpty() || text.length() > 9 || !text.chars().allMatch(c -> c >= '0' && c <= '9') || Integer.parseInt(text) == 0) {
            throw new IllegalArgumentException("the step in the " + f.name() + " field must be a positive number: " + item);
        }
        return Integer.parseInt(text);
    }

    /** A Go duration such as "1h30m", "90s" or "1.5h". */
    static Duration goDuration(String text) {
        if (text.isEmpty()) {
            throw new IllegalArgumentException("missing duration after @every");
        }
        String rest = text.startsWith("+") ? text.substring(1) : text;
        if (rest.startsWith("-")) {
            throw new IllegalArgumentException("the @every duration must be positive: " + text);
        }
        if (rest.equals("0")) {
            throw new IllegalArgumentException("the @every duration must be positive: " + text);
        }
        BigDecimal nanos = BigDecimal.ZERO;
        int i = 0;
        while (i < rest.length()) {
            int numberStart = i;
            while (i < rest.length() && (Character.isDigit(rest.charAt(i)) || rest.charAt(i) == '.')) {
                i++;
            }
            String number = rest.substring(numberStart, i);
            int unitStart = i;
            while (i < rest.length() && !Character.isDigit(rest.charAt(i)) && rest.charAt(i) != '.') {
                i++;
            }
            Long unit = UNIT_NANOS.get(rest.substring(unitStart, i));
            if (number.isEmpty() || number.equals(".") || number.chars().filter(c -> c == '.').count() > 1 || unit == null) {
                throw new IllegalArgumentException("invalid duration after @every: " + text);
            }
            nanos = nanos.add(new BigDecimal(number).multiply(BigDecimal.valueOf(unit)));
        }
        if (nanos.signum() <= 0) {
            throw new IllegalArgumentException("the @every duration must be positive: " + text);
        }
        return Duration.ofNanos(nanos.min(BigDecimal.valueOf(Long.MAX_VALUE)).longValue());
    }
}
