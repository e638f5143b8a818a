package io.kedge.controllers.batch;

import java.util.Iterator;
import java.util.SortedSet;
import java.util.TreeSet;

/** The {@code status.completedIndexes} notation of an Indexed Job: ascending indexes, runs written "first-last", e.g. "1,3-5,7". */
final class CompletedIndexes {
    private CompletedIndexes() {}

    /** Reads the notation, leaving out malformed parts and indexes outside [0, completions). */
    static SortedSet<Integer> parse(String text, int completions) {
        SortedSet<Integer> out = new TreeSet<>();
        if (text == null || text.isBlank()) {
            return out;
        }
        for (String part : text.split(",")) {
            String[] bounds = part.strip().split("-", -1);
            Integer first = number(bounds[0]);
            Integer last = bounds.length == 2 ? number(bounds[1]) : first;
            if (bounds.length > 2 || first == null || last == null || first > last) {
                continue;
            }
            for (int i = first; i <= Math.min(last, completions - 1); i++) {
                out.add(i);
            }
        }
        return out;
    }

    static String format(SortedSet<Integer> indexes) {
        StringBuilder out = new StringBuilder();
        Iterator<Integer> it = indexes.iterator();
        if (!it.hasNext()) {
            return "";
        }
        int first = it.next();
        int last = first;
        while (it.hasNext()) {
            int next = it.next();
            if (next != last + 1) {
                append(out, first, last);
                first = next;
            }
            last = next;
        }
        append(out, first, last);
        return out.toString();
    }

    private static void append(StringBuilder out, int first, int last) {
        if (!out.isEmpty()) {
            out.append(',');
        }
        out.append(first);
        if (last != first) {
            out.append('-').append(last);
        }
    }

    private static Integer number(String text) {
        if (text.isEmpty() || text.length() > 9 || !text.chars().allMatch(Character::isDigit)) {
            return null;
        }
        return Integer.parseInt(text);
    }
}
