package io.kedge.bench;

/** Failure descriptions short enough for a table cell. */
final class Failures {
    private Failures() {}

    static String brief(String failure) {
        if (failure == null) {
            return "";
        }
        String line = failure.replace('|', '/').lines().findFirst().orElse("");
        return line.length() <= 160 ? line : line.substring(0, 160) + "...";
    }
}
