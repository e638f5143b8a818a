package io.kedge.api;

/**
 * Go's {@code strconv.Quote}, for text that Go programs print and parse back: CRD validation
 * messages, and label and annotation values in downward API files.
 */
public final class GoQuote {
    private GoQuote() {}

    /** Go's {@code strconv.Quote}: printable characters stay, the rest become escapes. */
    public static String quote(String text) {
        StringBuilder out = new StringBuilder(text.length() + 2).append('"');
        text.codePoints().forEach(cp -> appendEscaped(out, cp));
        return out.append('"').toString();
    }

    private static void appendEscaped(StringBuilder out, int cp) {
        switch (cp) {
            case '"' -> out.append("\\\"");
            case '\\' -> out.append("\\\\");
            case 0x07 -> out.append("\\a");
            case '\b' -> out.append("\\b");
            case '\f' -> out.append("\\f");
            case '\n' -> out.append("\\n");
            case '\r' -> out.append("\\r");
            case '\t' -> out.append("\\t");
            case 0x0B -> out.append("\\v");
            default -> {
                if (cp < 0x20 || cp == 0x7F) {
                    out.append(String.format("\\x%02x", cp));
                } else if (isPrintable(cp)) {
                    out.appendCodePoint(cp);
                } else if (cp <= 0xFFFF) {
                    out.append(String.format("\\u%04x", cp));
                } else {
                    out.append(String.format("\\U%08x", cp));
                }
            }
        }
    }

    private static boolean isPrintable(int cp) {
        int type = Character.getType(cp);
        return cp == ' ' || !(Character.isWhitespace(cp) || Character.isSpaceChar(cp)
                || type == Character.CONTROL || type == Character.FORMAT || type == Character.SURROGATE
                || type == Character.PRIVATE_USE || type == Character.UNASSIGNED);
    }
}
