package io.kedge.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Locale;

/** Results as Markdown, on stdout and appended to a file line by line, so a run that dies still leaves its figures. */
final class Report {
    private final Path file;

    Report(Path file) {
        this.file = file;
    }

    /** A section title, followed by the machine's load average, because other work on a shared machine skews every figure. */
    void heading(String title) {
        line("");
        line("### " + title);
        line("");
        line("Load average when this section was written (1/5/15 min): " + loadAverage() + ".");
        line("");
    }

    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " / " + f[1] + " / " + f[2];
        } catch (IOException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }

    void note(String text) {
        line(text);
    }

    void tableHeader(String... columns) {
        line("| " + String.join(" | ", columns) + " |");
        line("|" + " --- |".repeat(columns.length));
    }

    void row(Object... cells) {
        line("| " + String.join(" | ", List.of(cells).stream().map(Report::cell).toList()) + " |");
    }

    private static String cell(Object o) {
        if (o instanceof Double d) {
            return fmt(d);
        }
        return String.valueOf(o);
    }

    /** Three significant figures at most, so tables stay readable. */
    static String fmt(double d) {
        if (Double.isNaN(d)) {
            return "n/a";
        }
        double a = Math.abs(d);
        if (a >= 100) {
            return String.format(Locale.ROOT, "%,.0f", d);
        }
        if (a >= 10) {
            return String.format(Locale.ROOT, "%.1f", d);
        }
        return String.format(Locale.ROOT, "%.2f", d);
    }

    synchronized void line(String text) {
        System.out.println(text);
        try {
            Files.writeString(file, text + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to " + file, e);
        }
    }
}
