package io.kedge.api.validation.builtin;

import io.kedge.api.GoDurations;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The standard cron syntax CronJobs accept: five fields (minute, hour, day of month, month, day of week)
 * or a descriptor such as {@code @hourly} or {@code @every 1h30m}.
 */
final class CronSchedules {
    private static final Set<String> DESCRIPTORS =
            Set.of("@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly");
    private static final Map<String, Integer> MONTHS = names(1, "jan", "feb", "mar", "apr", "may", "jun",
            "jul", "aug", "sep", "oct", "nov", "dec");
    private static final Map<String, Integer> DAYS = names(0, "sun", "mon", "tue", "wed", "thu", "fri", "sat");

    private record Field(String name, int min, int max, Map<String, Integer> names) { }

    private static final List<Field> FIELDS = List.of(
            new Field("minute", 0, 59, Map.of()),
            new Field("hour", 0, 23, Map.of()),
            new Field("day of month", 1, 31, Map.of()),
            new Field("month", 1, 12, MONTHS),
            new Field("day of week", 0, 6, DAYS));

    private CronSchedules() {}

    /** The reason the schedule cannot be parsed, or null when it is valid. */
    static String problem(String schedule) {
        String s = schedule.strip();
        if (s.isEmpty()) {
            return "empty spec string";
        }
        if (s.startsWith("@")) {
            return descriptorProblem(s);
        }
        String[] parts = s.split("\\s+");
        if (parts.length != FIELDS.size()) {
            return "expected exactly 5 fields, found " + parts.length + ": " + s;
        }
        for (int i = 0; i < parts.length; i++) {
            String p = fieldProblem(parts[i], FIELDS.get(i));
            if (p != null) {
                return p;
            }
        }
        return null;
    }

    private static String descriptorProblem(String s) {
        if (s.startsWith("@every ")) {
            String duration = s.substring("@every ".length()).strip();
            Long nanos = GoDurations.parseNanos(duration);
            if (nanos == null || nanos <= 0) {
                return "failed to parse duration " + s;
            }
            return null;
        }
        return DESCRIPTORS.contains(s.toLowerCase(Locale.ROOT)) ? null : "unrecognized descriptor: " + s;
    }

    private static String fieldProblem(String text, Field f) {
        for (String item : text.split(",", -1)) {
            String[] stepParts = item.split("/", -1);
            if (stepParts.length > 2) {
                return "too many slashes: " + item;
            }
            String range = stepParts[0];
            if (stepParts.length == 2) {
                Integer step = number(stepParts[1]);
                if (step == null || step <= 0) {
                    return "step of range should be a positive number: " + item;
                }
            }
            if (range.equals("*") || range.equals("?")) {
                continue;
            }
            String[] bounds = range.split("-", -1);
            if (bounds.length > 2) {
                return "too many hyphens: " + item;
            }
            Integer start = value(bounds[0], f);
            Integer end = bounds.length == 2 ? value(bounds[1], f) : start;
            if (start == null || end == null) {
                return "failed to parse " + f.name() + " value: " + item;
            }
            if (start < f.min()) {
                return "beginning of range (" + start + ") below minimum (" + f.min() + "): " + item;
            }
            if (end > f.max()) {
                return "end of range (" + end + ") above maximum (" + f.max() + "): " + item;
            }
            if (start > end) {
                return "beginning of range (" + start + ") beyond end of range (" + end + "): " + item;
            }
        }
        return null;
    }

    private static Integer value(String text, Field f) {
        Integer named = f.names().get(text.toLowerCase(Locale.ROOT));
        return named != null ? named : number(text);
    }

    private static Integer number(String text) {
        if (text.isEmpty() || text.length() > 9 || !text.chars().allMatch(Character::isDigit)) {
            return null;
        }
        return Integer.parseInt(text);
    }

    private static Map<String, Integer> names(int first, String... names) {
        java.util.HashMap<String, Integer> m = new java.util.HashMap<>();
        for (int i = 0; i < names.length; i++) {
            m.put(names[i], first + i);
        }
        return Map.copyOf(m);
    }
}
