package io.kedge.kubelet.server;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * One line of a CRI container log: {@code <RFC3339Nano time> <stdout|stderr> <F|P> <message>}.
 * P marks a partial line, which the runtime continues on the next one.
 */
public record CriLogLine(Instant time, String timestampText, String stream, boolean partial, String message) {

    public static Optional<CriLogLine> parse(String line) {
        int first = line.indexOf(' ');
        if (first < 0) {
            return Optional.empty();
        }
        int second = line.indexOf(' ', first + 1);
        if (second < 0) {
            return Optional.empty();
        }
        String timestamp = line.substring(0, first);
        String stream = line.substring(first + 1, second);
        int third = line.indexOf(' ', second + 1);
        String tag = third < 0 ? line.substring(second + 1) : line.substring(second + 1, third);
        String message = third < 0 ? "" : line.substring(third + 1);
        try {
            return Optional.of(new CriLogLine(Instant.parse(timestamp), timestamp, stream, tag.startsWith("P"), message));
        } catch (DateTimeParseException notCri) {
            return Optional.empty();
        }
    }
}
