package io.kedge.cli;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as Kubernetes users write them: 90s, 5m, 1h30m. */
final class Durations {
    private static final Pattern PART = Pattern.compile("(\\d+)(ms|s|m|h)");

    private Durations() {}

    static Duration parse(String text, String flag) {
        Matcher m = PART.matcher(text);
        Duration d = Duration.ZERO;
        int end = 0;
        while (m.find() && m.start() == end) {
            long n = Long.parseLong(m.group(1));
            d = d.plus(switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                default -> Duration.ofHours(n);
            });
            end = m.end();
        }
        if (end != text.length() || text.isEmpty()) {
            throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(new Main()),
                    flag + " must be a duration such as 90s, 5m or 1h30m, got \"" + text + "\"");
        }
        return d;
    }
}
