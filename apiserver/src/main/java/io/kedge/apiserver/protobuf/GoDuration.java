package io.kedge.apiserver.protobuf;

/**
 * Formats nanoseconds the way Go prints a time.Duration ("1h0m0s", "1.5s", "300ms"), which is
 * the JSON form of metav1.Duration.
 */
final class GoDuration {
    private static final long SECOND = 1_000_000_000L;

    private GoDuration() {}

    static String format(long nanos) {
        if (nanos == 0) {
            return "0s";
        }
        String sign = nanos < 0 ? "-" : "";
        // the magnitude as an unsigned value, so that Long.MIN_VALUE needs no special case
        long magnitude = nanos < 0 ? -nanos : nanos;
        if (Long.compareUnsigned(magnitude, SECOND) < 0) {
            if (magnitude < 1_000) {
                return sign + magnitude + "ns";
            }
            if (magnitude < 1_000_000) {
                return sign + decimal(magnitude, 3) + "µs";
            }
            return sign + decimal(magnitude, 6) + "ms";
        }
        long wholeSeconds = Long.divideUnsigned(magnitude, SECOND);
        long fraction = Long.remainderUnsigned(magnitude, SECOND);
        StringBuilder text = new StringBuilder(sign);
        long hours = wholeSeconds / 3600;
        if (hours > 0) {
            text.append(hours).append('h');
        }
        if (wholeSeconds >= 60) {
            text.append(wholeSeconds / 60 % 60).append('m');
        }
        text.append(decimal(wholeSeconds % 60 * SECOND + fraction, 9)).append('s');
        return text.toString();
    }

    /** {@code value / 10^digits} written with its fraction, trailing zeros (and a bare point) dropped. */
    private static String decimal(long value, int digits) {
        long scale = (long) Math.pow(10, digits);
        String fraction = String.format("%0" + digits + "d", value % scale).replaceAll("0+$", "");
        return fraction.isEmpty() ? Long.toString(value / scale) : value / scale + "." + fraction;
    }
}
