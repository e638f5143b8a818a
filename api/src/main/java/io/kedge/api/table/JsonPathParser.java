package io.kedge.api.table;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.List;

/** A recursive-descent reader of one JSONPath; positions in its messages count from 0. */
final class JsonPathParser {
    private static final List<String> OPERATORS = List.of("==", "!=", "<=", ">=", "<", ">");

    private final String text;
    private int pos;

    JsonPathParser(String text) {
        this.text = text;
    }

    List<JsonPathStep> steps(boolean allowBareFirstName) {
        List<JsonPathStep> steps = new ArrayList<>();
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c == '.') {
                pos++;
                if (peek('.')) {
                    pos++;
                    steps.add(new JsonPathStep.Recursive());
                    if (!peek('[')) {
                        steps.add(name());
                    }
                } else if (pos < text.length() && !peek('[')) {
                    steps.add(name());
                }
            } else if (c == '[') {
                steps.add(bracket());
            } else if (steps.isEmpty() && allowBareFirstName && !Character.isWhitespace(c)) {
                steps.add(name());
            } else {
                throw new IllegalArgumentException("unexpected " + quote(String.valueOf(c)) + " at position " + pos);
            }
            allowBareFirstName = false;
        }
        return steps;
    }

    private boolean peek(char c) {
        return pos < text.length() && text.charAt(pos) == c;
    }

    /** A dotted key; a backslash makes the next character part of the key. */
    private JsonPathStep name() {
        int start = pos;
        StringBuilder name = new StringBuilder();
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c == '\\' && pos + 1 < text.length()) {
                name.append(text.charAt(pos + 1));
                pos += 2;
                continue;
            }
            if (c == '.' || c == '[') {
                break;
            }
            if (c == ']' || c == '(' || c == ')' || c == '"' || c == '\'' || Character.isWhitespace(c)) {
                throw new IllegalArgumentException("unexpected " + quote(String.valueOf(c)) + " in a key at position " + pos);
            }
            name.append(c);
            pos++;
        }
        if (name.isEmpty()) {
            throw new IllegalArgumentException("empty key at position " + start);
        }
        return name.toString().equals("*") && pos - start == 1 ? new JsonPathStep.Wildcard() : new JsonPathStep.Field(name.toString());
    }

    private JsonPathStep bracket() {
        int open = pos;
        int close = matchingBracket(open);
        String content = text.substring(open + 1, close).strip();
        pos = close + 1;
        if (content.equals("*")) {
            return new JsonPathStep.Wildcard();
        }
        if (content.startsWith("?")) {
            String condition = content.substring(1).strip();
            if (!condition.startsWith("(") || !condition.endsWith(")")) {
                throw new IllegalArgumentException("a filter must read [?(...)], at position " + open);
            }
            return filter(condition.substring(1, condition.length() - 1).strip(), open);
        }
        if (content.startsWith("'") || content.startsWith("\"")) {
            JsonNode key = literal(content, open);
            if (!key.isTextual()) {
                throw new IllegalArgumentException("unions of keys are not supported, at position " + open);
            }
            return new JsonPathStep.Field(key.textValue());
        }
        if (content.contains(",")) {
            throw new IllegalArgumentException("unions are not supported, at position " + open);
        }
        if (content.contains(":")) {
            String[] parts = content.split(":", -1);
            if (parts.length > 3) {
                throw new IllegalArgumentException("a slice has at most three parts, at position " + open);
            }
            return new JsonPathStep.Slice(bound(parts[0], open), parts.length > 1 ? bound(parts[1], open) : null,
                    parts.length > 2 ? bound(parts[2], open) : null, false);
        }
        Integer index = bound(content, open);
        if (index == null) {
            throw new IllegalArgumentException("empty brackets at position " + open);
        }
        return new JsonPathStep.Slice(index, null, null, true);
    }

    private int matchingBracket(int open) {
        int depth = 0;
        char quote = 0;
        for (int i = open; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quote != 0) {
                if (c == '\\') {
                    i++;
                } else if (c == quote) {
                    quote = 0;
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
            } else if (c == '[') {
                depth++;
            } else if (c == ']' && --depth == 0) {
                return i;
            }
        }
        throw new IllegalArgumentException("unclosed \"[\" at position " + open);
    }

    private static Integer bound(String s, int at) {
        String t = s.strip();
        if (t.isEmpty()) {
            return null;
        }
        try {
            return Integer.parseInt(t);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected an array index, found " + quote(t) + " at position " + at);
        }
    }

    private static JsonPathStep filter(String condition, int at) {
        int opAt = -1;
        String op = null;
        char quote = 0;
        for (int i = 0; i < condition.length() && op == null; i++) {
            char c = condition.charAt(i);
            if (quote != 0) {
                if (c == '\\') {
                    i++;
                } else if (c == quote) {
                    quote = 0;
                }
                continue;
            }
            if (c == '\'' || c == '"') {
                quote = c;
                continue;
            }
            for (String candidate : OPERATORS) {
                if (condition.startsWith(candidate, i)) {
                    op = candidate;
                    opAt = i;
                    break;
                }
            }
        }
        if (op == null) {
            return new JsonPathStep.Filter(relativePath(condition, at), "exists", null, null);
        }
        List<JsonPathStep> left = relativePath(condition.substring(0, opAt).strip(), at);
        String right = condition.substring(opAt + op.length()).strip();
        if (right.startsWith("@")) {
            return new JsonPathStep.Filter(left, op, relativePath(right, at), null);
        }
        return new JsonPathStep.Filter(left, op, null, literal(right, at));
    }

    private static List<JsonPathStep> relativePath(String path, int at) {
        if (!path.startsWith("@")) {
            throw new IllegalArgumentException("a filter compares paths that start with @, found "
                    + quote(path) + " in the filter at position " + at);
        }
        return new JsonPathParser(path.substring(1)).steps(false);
    }

    private static JsonNode literal(String s, int at) {
        if (s.length() >= 2 && (s.charAt(0) == '"' || s.charAt(0) == '\'') && s.charAt(s.length() - 1) == s.charAt(0)) {
            StringBuilder out = new StringBuilder();
            for (int i = 1; i < s.length() - 1; i++) {
                char c = s.charAt(i);
                if (c == '\\' && i + 1 < s.length() - 1) {
                    c = s.charAt(++i);
                } else if (c == s.charAt(0)) {
                    throw new IllegalArgumentException("unions of keys are not supported, at position " + at);
                }
                out.append(c);
            }
            return TextNode.valueOf(out.toString());
        }
        if (s.equals("true") || s.equals("false")) {
            return BooleanNode.valueOf(Boolean.parseBoolean(s));
        }
        try {
            if (s.matches("-?\\d+")) {
                return LongNode.valueOf(Long.parseLong(s));
            }
            return DoubleNode.valueOf(Double.parseDouble(s));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected a quoted string, a number, true or false, found "
                    + quote(s) + " at position " + at);
        }
    }

    private static String quote(String s) {
        return "\"" + s + "\"";
    }
}
