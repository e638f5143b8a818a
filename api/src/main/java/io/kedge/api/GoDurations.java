package io.kedge.api;

import java.math.BigDecimal;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations in Go's notation ({@code 10m}, {@code 1h30m}, {@code 1.5h}, {@code 0}), as kubectl users write them. */
public final class GoDurations {
    private static final Pattern WHOLE = Pattern.compile("[-+]?(([0-9]+(\\.[0-9]*)?|\\.[0-9]+)(ns|us|µs|μs|ms|s|m|h))+");
    private static final Pattern PART = Pattern.compile("([0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)(ns|us|µs|μs|ms|s|m|h)");
    private static final Map<String, BigDecimal> NANOS_PER_UNIT = Map.of(
            "ns", BigDecimal.ONE, "us", BigDecimal.valueOf(1_000), "µs", BigDecimal.valueOf(1_000),
            "μs", BigDecimal.valueOf(1_000), "ms", BigDecimal.valueOf(1_000_000),
            "s", BigDecimal.valueOf(1_000_000_000L), "m", BigDecimal.valueOf(60_000_000_000L),
            "h", BigDecimal.valueOf(3_600_000_000_000L));

    private GoDurations() {}

    /** The duration in nanoseconds, or null when the text is not a Go duration or does not fit. */
    public static Long parseNanos(String text) {
        if (text.equals("0") || text.equals("+0") || text.equals("-0")) {
            return 0L;
        }
        if (!WHOLE.matcher(text).matches()) {
            return null;
        }
        BigDecimal total = BigDecimal.ZERO;
        Matcher m = PART.matcher(text);
        while (m.find()) {
            total = total.add(new BigDecimal(m.group(1)).multiply(NANOS_PER_UNIT.get(m.group(2))));
        }
        if (text.startsWith("-")) {
            total = total.negate();
        }
        try {
            return total.setScale(0, java.math.RoundingMode.DOWN).longValueExact();
        } catch (ArithmeticException e) {
            return null;
        }
    }
}
