package io.kedge.api.selector;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Reads the string form of a label selector, e.g. {@code env in (prod,qa),tier!=db,!legacy}. */
final class LabelSelectorParser {
    private static final String SYMBOLS = "!=,()<>";

    private enum Type { IDENTIFIER, EQUALS, DOUBLE_EQUALS, NOT_EQUALS, NOT, OPEN, CLOSE, COMMA, GREATER, LESS, END }

    private record Token(Type type, String text, int position) {
        String describe() {
            return type == Type.END ? "the end of the selector" : "\"" + text + "\" at character " + (position + 1);
        }
    }

    private final String input;
    private final List<Token> tokens;
    private int next;

    private LabelSelectorParser(String input) {
        this.input = input;
        this.tokens = lex(input);
    }

    static List<LabelRequirement> parse(String input) {
        return new LabelSelectorParser(input).requirements();
    }

    private List<LabelRequirement> requirements() {
        List<LabelRequirement> requirements = new ArrayList<>();
        if (peek().type() == Type.END) {
            return requirements;
        }
        while (true) {
            requirements.add(requirement());
            Token separator = take();
            if (separator.type() == Type.END) {
                return requirements;
            }
            if (separator.type() != Type.COMMA) {
                throw error("expected ',' or the end of the selector, found " + separator.describe());
            }
        }
    }

    private LabelRequirement requirement() {
        if (peek().type() == Type.NOT) {
            take();
            String key = key(take());
            return new LabelRequirement(key, LabelOperator.DOES_NOT_EXIST, List.of());
        }
        String key = key(take());
        Token operator = peek();
        switch (operator.type()) {
            case COMMA, END:
                return new LabelRequirement(key, LabelOperator.EXISTS, List.of());
            case EQUALS, DOUBLE_EQUALS:
                take();
                return new LabelRequirement(key, LabelOperator.EQUALS, List.of(value()));
            case NOT_EQUALS:
                take();
                return new LabelRequirement(key, LabelOperator.NOT_EQUALS, List.of(value()));
            case GREATER, LESS:
                take();
                return new LabelRequirement(key, operator.type() == Type.GREATER ? LabelOperator.GREATER_THAN : LabelOperator.LESS_THAN,
                        List.of(integer()));
            case IDENTIFIER:
                if (operator.text().equals("in") || operator.text().equals("notin")) {
                    take();
                    return new LabelRequirement(key, operator.text().equals("in") ? LabelOperator.IN : LabelOperator.NOT_IN, valueSet());
                }
                break;
            default:
                break;
        }
        throw error("expected an operator (=, ==, !=, in, notin) or ',' after the key \"" + key + "\", found "
                + operator.describe());
    }

    private String key(Token token) {
        if (token.type() != Type.IDENTIFIER) {
            throw error("expected a label key, found " + token.describe());
        }
        Optional<String> problem = LabelSyntax.keyProblem(token.text());
        if (problem.isPresent()) {
            throw error("invalid label key \"" + token.text() + "\": " + problem.get());
        }
        return token.text();
    }

    /** A single value; empty when the requirement ends right after its operator, as in {@code tier=}. */
    private String value() {
        Token token = peek();
        if (token.type() == Type.COMMA || token.type() == Type.END) {
            return "";
        }
        take();
        if (token.type() != Type.IDENTIFIER) {
            throw error("expected a label value, found " + token.describe());
        }
        checkValue(token);
        return token.text();
    }

    private String integer() {
        Token token = take();
        if (token.type() != Type.IDENTIFIER || !token.text().matches("-?[0-9]{1,18}")) {
            throw error("expected an integer after '>' or '<', found " + token.describe());
        }
        return token.text();
    }

    /** {@code (a, b)}; an omitted value, as in {@code ()} or {@code (a,)}, is the empty value. */
    private List<String> valueSet() {
        Token open = take();
        if (open.type() != Type.OPEN) {
            throw error("expected '(' to start the list of values, found " + open.describe());
        }
        List<String> values = new ArrayList<>();
        boolean expectValue = true;
        while (true) {
            Token token = take();
            if (token.type() == Type.IDENTIFIER && expectValue) {
                checkValue(token);
                values.add(token.text());
                expectValue = false;
            } else if (token.type() == Type.COMMA || token.type() == Type.CLOSE) {
                if (expectValue) {
                    values.add("");
                }
                if (token.type() == Type.CLOSE) {
                    return values;
                }
                expectValue = true;
            } else {
                throw error("expected " + (expectValue ? "a value, ',' or ')'" : "',' or ')'") + " in the list of values, "
                        + "found " + token.describe());
            }
        }
    }

    private void checkValue(Token token) {
        Optional<String> problem = LabelSyntax.valueProblem(token.text());
        if (problem.isPresent()) {
            throw error("invalid label value \"" + token.text() + "\": " + problem.get());
        }
    }

    private Token peek() {
        return tokens.get(next);
    }

    private Token take() {
        Token token = tokens.get(next);
        if (token.type() != Type.END) {
            next++;
        }
        return token;
    }

    private SelectorException error(String message) {
        return new SelectorException("unable to parse label selector \"" + input + "\": " + message);
    }

    private static List<Token> lex(String input) {
        List<Token> tokens = new ArrayList<>();
        int i = 0;
        while (i < input.length()) {
            char c = input.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
                continue;
            }
            int start = i;
            if (SYMBOLS.indexOf(c) >= 0) {
                boolean twoChars = i + 1 < input.length() && input.charAt(i + 1) == '=' && (c == '=' || c == '!');
                Type type = switch (c) {
                    case '=' -> twoChars ? Type.DOUBLE_EQUALS : Type.EQUALS;
                    case '!' -> twoChars ? Type.NOT_EQUALS : Type.NOT;
                    case ',' -> Type.COMMA;
                    case '(' -> Type.OPEN;
                    case ')' -> Type.CLOSE;
                    case '>' -> Type.GREATER;
                    default -> Type.LESS;
                };
                i += twoChars ? 2 : 1;
                tokens.add(new Token(type, input.substring(start, i), start));
                continue;
            }
            while (i < input.length() && !Character.isWhitespace(input.charAt(i)) && SYMBOLS.indexOf(input.charAt(i)) < 0) {
                i++;
            }
            tokens.add(new Token(Type.IDENTIFIER, input.substring(start, i), start));
        }
        tokens.add(new Token(Type.END, "", input.length()));
        return tokens;
    }
}
