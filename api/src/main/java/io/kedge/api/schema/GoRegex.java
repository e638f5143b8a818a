package io.kedge.api.schema;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A schema {@code pattern}, which Kubernetes evaluates with Go's RE2 syntax and unanchored search.
 * Java's engine reads the common RE2 patterns the same once a few spellings are translated; it
 * backtracks where RE2 does not, so every match runs on a step budget instead of unbounded time.
 */
final class GoRegex {
    /** Character reads allowed per match, plus 16 per character; hostile patterns fail instead of pinning a core. */
    static final int STEP_BUDGET = 5_000_000;

    private static final Map<String, String> POSIX_CLASSES = Map.ofEntries(
            Map.entry("alnum", "\\p{Alnum}"), Map.entry("alpha", "\\p{Alpha}"), Map.entry("ascii", "\\p{ASCII}"),
            Map.entry("blank", "\\p{Blank}"), Map.entry("cntrl", "\\p{Cntrl}"), Map.entry("digit", "\\p{Digit}"),
            Map.entry("graph", "\\p{Graph}"), Map.entry("lower", "\\p{Lower}"), Map.entry("print", "\\p{Print}"),
            Map.entry("punct", "\\p{Punct}"), Map.entry("space", "\\s"), Map.entry("upper", "\\p{Upper}"),
            Map.entry("word", "\\w"), Map.entry("xdigit", "\\p{XDigit}"));

    private static final Pattern REPETITION = Pattern.compile("\\{\\d+(,\\d*)?}");

    private final String source;
    private final Pattern pattern;

    private GoRegex(String source, Pattern pattern) {
        this.source = source;
        this.pattern = pattern;
    }

    /** Only {@code \n} ends a line and {@code (?i)} folds all of Unicode, as in Go. */
    static GoRegex compile(String source) throws PatternSyntaxException {
        return new GoRegex(source, Pattern.compile(translate(source), Pattern.UNIX_LINES | Pattern.UNICODE_CASE));
    }

    String source() {
        return source;
    }

    /** Whether the pattern occurs anywhere in the text (Go's {@code MatchString}). */
    boolean find(String text) throws BudgetExceededException {
        int budget = (int) Math.min(Integer.MAX_VALUE, STEP_BUDGET + 16L * text.length());
        return pattern.matcher(new BudgetedText(text, new int[] {budget})).find();
    }

    /**
     * RE2 spellings Java reads differently: {@code (?P<name>}, POSIX classes, octal escapes, script
     * names, {@code [} and {@code &&} inside classes, and {@code $}, which in RE2 (without the m flag)
     * matches only at the very end where Java also matches before a final newline. Java-only syntax
     * (lookaround, atomic groups, possessive quantifiers, backreferences) is refused, as Go refuses it.
     */
    static String translate(String re2) {
        boolean multiline = re2.matches("(?s).*\\(\\?[a-zA-Z]*m[a-zA-Z-]*[:)].*");
        StringBuilder out = new StringBuilder(re2.length() + 8);
        boolean inClass = false;
        boolean afterQuantifier = false;
        int i = 0;
        while (i < re2.length()) {
            char c = re2.charAt(i);
            if (c == '\\' && i + 1 < re2.length()) {
                i = translateEscape(re2, i, out);
                afterQuantifier = false;
            } else if (inClass) {
                int posixEnd = re2.startsWith("[:", i) ? posixClassEnd(re2, i) : -1;
                if (posixEnd > 0) {
                    boolean negated = re2.charAt(i + 2) == '^';
                    String java = POSIX_CLASSES.get(re2.substring(i + (negated ? 3 : 2), posixEnd));
                    out.append(negated ? negate(java) : java);
                    i = posixEnd + 2;
                    continue;
                }
                inClass = c != ']';
                out.append(c == '[' || c == '&' ? "\\" + c : String.valueOf(c));
                i++;
            } else if (c == '[') {
                inClass = true;
                out.append(c);
                i++;
                if (i < re2.length() && re2.charAt(i) == '^') {
                    out.append('^');
                    i++;
                }
                if (i < re2.length() && re2.charAt(i) == ']') {
                    out.append("\\]");
                    i++;
                }
                afterQuantifier = false;
            } else {
                boolean lazyOrFlag = c == '?' && (afterQuantifier || i > 0 && re2.charAt(i - 1) == '(');
                boolean closesRepetition = c == '}' && out.toString().matches("(?s).*\\{\\d+(,\\d*)?");
                i = translatePlain(re2, i, multiline, afterQuantifier, out);
                afterQuantifier = ("*+?".indexOf(c) >= 0 && !lazyOrFlag) || closesRepetition;
            }
        }
        return out.toString();
    }

    private static int translatePlain(String re2, int i, boolean multiline, boolean afterQuantifier, StringBuilder out) {
        char c = re2.charAt(i);
        for (String unsupported : List.of("(?=", "(?!", "(?<=", "(?<!", "(?>")) {
            if (re2.startsWith(unsupported, i)) {
                throw new PatternSyntaxException("invalid or unsupported Perl syntax", re2, i);
            }
        }
        if (c == '+' && afterQuantifier) {
            throw new PatternSyntaxException("invalid nested repetition operator", re2, i);
        }
        if (re2.startsWith("(?P<", i)) {
            out.append("(?<");
            return i + 4;
        }
        if (c == '{' && !REPETITION.matcher(re2).region(i, re2.length()).lookingAt()) {
            // RE2 reads a brace that starts no repetition as a literal; Java would refuse it
            out.append("\\{");
            return i + 1;
        }
        out.append(c == '$' && !multiline ? "\\z" : String.valueOf(c));
        return i + 1;
    }

    /** One backslash escape starting at {@code i}; returns the index after it. */
    private static int translateEscape(String re2, int i, StringBuilder out) {
        char next = re2.charAt(i + 1);
        if (next == 'Q') {
            int end = re2.indexOf("\\E", i + 2);
            int stop = end < 0 ? re2.length() : end + 2;
            out.append(re2, i, stop);
            return stop;
        }
        if (next >= '0' && next <= '9') {
            int end = i + 1;
            while (end < re2.length() && end < i + 4 && re2.charAt(end) >= '0' && re2.charAt(end) <= '7') {
                end++;
            }
            if (next != '0' && end < i + 3) {
                throw new PatternSyntaxException("invalid escape sequence (backreferences are not supported)", re2, i);
            }
            out.append(String.format("\\x{%x}", Integer.parseInt(re2.substring(i + 1, end), 8)));
            return end;
        }
        if (next == 'v') {
            out.append("\\x{b}");
            return i + 2;
        }
        if ((next == 'p' || next == 'P') && re2.startsWith("{", i + 2)) {
            int close = re2.indexOf('}', i + 3);
            String name = close < 0 ? "" : re2.substring(i + 3, close);
            if (name.length() > 2 && !name.startsWith("Is") && !name.startsWith("In") && !name.contains("=")) {
                out.append('\\').append(next).append("{Is").append(name).append('}');
                return close + 1;
            }
        }
        out.append(re2, i, i + 2);
        return i + 2;
    }

    private static int posixClassEnd(String re2, int start) {
        int end = re2.indexOf(":]", start + 2);
        if (end < 0) {
            return -1;
        }
        String name = re2.substring(start + 2, end);
        return POSIX_CLASSES.containsKey(name.startsWith("^") ? name.substring(1) : name) ? end : -1;
    }

    private static String negate(String javaClass) {
        return switch (javaClass) {
            case "\\s" -> "\\S";
            case "\\w" -> "\\W";
            default -> "\\P" + javaClass.substring(2);
        };
    }

    static final class BudgetExceededException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BudgetExceededException() {
            super("regular expression evaluation exceeded its step budget", null, false, false);
        }
    }

    /** Text that counts the reads the regex engine makes and gives up once the budget is spent. */
    private static final class BudgetedText implements CharSequence {
        private final String text;
        private final int[] budget;

        BudgetedText(String text, int[] budget) {
            this.text = text;
            this.budget = budget;
        }

        @Override
        public char charAt(int index) {
            if (--budget[0] < 0) {
                throw new BudgetExceededException();
            }
            return text.charAt(index);
        }

        @Override
        public int length() {
            return text.length();
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return new BudgetedText(text.substring(start, end), budget);
        }

        @Override
        public String toString() {
            return text;
        }
    }
}
