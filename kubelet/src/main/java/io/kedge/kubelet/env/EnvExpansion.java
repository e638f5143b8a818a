package io.kedge.kubelet.env;

import java.util.function.Function;

/**
 * The {@code $(VAR)} syntax of env values, command and args: a reference to a known variable
 * becomes its value, an unknown one stays as written, and {@code $$} is a literal {@code $} (so
 * {@code $$(VAR)} yields {@code $(VAR)}). A {@code $(} without its closing parenthesis stays as written.
 */
public final class EnvExpansion {
    private EnvExpansion() {
    }

    /** Expands {@code input}; {@code lookup} returns null for a variable that is not defined. */
    public static String expand(String input, Function<String, String> lookup) {
        if (input == null || input.indexOf('$') < 0) {
            return input == null ? "" : input;
        }
        StringBuilder out = new StringBuilder(input.length());
        int i = 0;
        while (i < input.length()) {
            char c = input.charAt(i);
            if (c != '$' || i + 1 >= input.length()) {
                out.append(c);
                i++;
                continue;
            }
            char next = input.charAt(i + 1);
            if (next == '$') {
                out.append('$');
                i += 2;
            } else if (next == '(') {
                int close = input.indexOf(')', i + 2);
                if (close < 0) {
                    out.append(input, i, input.length());
                    break;
                }
                String name = input.substring(i + 2, close);
                String value = name.isEmpty() ? null : lookup.apply(name);
                out.append(value != null ? value : input.substring(i, close + 1));
                i = close + 1;
            } else {
                out.append(c).append(next);
                i += 2;
            }
        }
        return out.toString();
    }
}
