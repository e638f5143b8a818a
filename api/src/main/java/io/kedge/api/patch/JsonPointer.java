package io.kedge.api.patch;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** An RFC 6901 JSON pointer, decoded into its reference tokens. */
record JsonPointer(String text, List<String> tokens) {

    static JsonPointer parse(String text) {
        if (text.isEmpty()) {
            return new JsonPointer(text, List.of());
        }
        if (text.charAt(0) != '/') {
            throw PatchException.invalid("invalid JSON pointer \"" + text + "\": it must be empty or start with '/'");
        }
        List<String> tokens = new ArrayList<>();
        StringBuilder token = new StringBuilder();
        for (int i = 1; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '/') {
                tokens.add(token.toString());
                token.setLength(0);
            } else if (c == '~') {
                char next = i + 1 < text.length() ? text.charAt(i + 1) : 0;
                if (next == '0') {
                    token.append('~');
                } else if (next == '1') {
                    token.append('/');
                } else {
                    throw PatchException.invalid("invalid JSON pointer \"" + text + "\": '~' at position " + i
                            + " must be followed by '0' or '1'");
                }
                i++;
            } else {
                token.append(c);
            }
        }
        tokens.add(token.toString());
        return new JsonPointer(text, Collections.unmodifiableList(tokens));
    }

    boolean isRoot() { return tokens.isEmpty(); }

    List<String> parentTokens() { return tokens.subList(0, tokens.size() - 1); }

    String lastToken() { return tokens.get(tokens.size() - 1); }

    /** True if {@code other} lies strictly inside the value this pointer names. */
    boolean isProperPrefixOf(JsonPointer other) {
        return other.tokens.size() > tokens.size() && other.tokens.subList(0, tokens.size()).equals(tokens);
    }

    @Override
    public String toString() { return text; }
}
