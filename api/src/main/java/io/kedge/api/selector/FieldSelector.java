package io.kedge.api.selector;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * A field selector ({@code fieldSelector=} query parameter): {@code field=value}, {@code field==value} and
 * {@code field!=value} requirements joined by commas, all of which must hold. In values, {@code \,} {@code \=} and
 * {@code \\} stand for the character itself. Which fields exist is the resource's business: see
 * {@link #requireSupported}. Immutable.
 */
public final class FieldSelector {
    private static final FieldSelector EVERYTHING = new FieldSelector(List.of());

    private final List<FieldRequirement> requirements;

    private FieldSelector(List<FieldRequirement> requirements) {
        this.requirements = requirements;
    }

    public static FieldSelector everything() {
        return EVERYTHING;
    }

    /** Requirements in canonical order: sorted by field, otherwise in the order given. */
    public static FieldSelector of(List<FieldRequirement> requirements) {
        if (requirements.isEmpty()) {
            return EVERYTHING;
        }
        List<FieldRequirement> sorted = new ArrayList<>(requirements);
        sorted.sort(Comparator.comparing(FieldRequirement::field));
        return new FieldSelector(List.copyOf(sorted));
    }

    /**
     * Parses the string form. Null or blank is the empty selector, and empty terms ({@code a=b,,c=d}) are skipped.
     *
     * @throws SelectorException naming the term that is wrong and why
     */
    public static FieldSelector parse(String text) {
        if (text == null || text.isBlank()) {
            return EVERYTHING;
        }
        List<FieldRequirement> requirements = new ArrayList<>();
        for (String term : splitOnUnescapedCommas(text)) {
            if (!term.isBlank()) {
                requirements.add(parseTerm(text, term));
            }
        }
        return of(requirements);
    }

    private static List<String> splitOnUnescapedCommas(String text) {
        List<String> terms = new ArrayList<>();
        StringBuilder term = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' && i + 1 < text.length()) {
                term.append(c).append(text.charAt(++i));
            } else if (c == ',') {
                terms.add(term.toString());
                term.setLength(0);
            } else {
                term.append(c);
            }
        }
        terms.add(term.toString());
        return terms;
    }

    private static FieldRequirement parseTerm(String selector, String term) {
        for (int i = 0; i < term.length(); i++) {
            char c = term.charAt(i);
            if (c == '\\') {
                i++;
                continue;
            }
            FieldOperator operator;
            int length;
            if (term.startsWith("!=", i)) {
                operator = FieldOperator.NOT_EQUALS;
                length = 2;
            } else if (term.startsWith("==", i)) {
                operator = FieldOperator.EQUALS;
                length = 2;
            } else if (c == '=') {
                operator = FieldOperator.EQUALS;
                length = 1;
            } else {
                continue;
            }
            String field = term.substring(0, i).trim();
            if (field.isEmpty()) {
                throw error(selector, "\"" + term + "\" has no field name before \"" + operator.symbol() + "\"");
            }
            return new FieldRequirement(field, operator, unescape(selector, term, term.substring(i + length)));
        }
        throw error(selector, "\"" + term + "\" has no operator; expected field=value, field==value or field!=value");
    }

    private static String unescape(String selector, String term, String value) {
        StringBuilder plain = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\\') {
                if (i + 1 == value.length()) {
                    throw error(selector, "\"" + term + "\" ends with a lone '\\'; write '\\\\' for a backslash");
                }
                char escaped = value.charAt(++i);
                if (escaped != '\\' && escaped != ',' && escaped != '=') {
                    throw error(selector, "\"" + term + "\" has the invalid escape sequence '\\" + escaped
                            + "'; only \\\\, \\, and \\= are allowed");
                }
                plain.append(escaped);
            } else if (c == '=') {
                throw error(selector, "\"" + term + "\" has an unescaped '=' in its value; write '\\=' for it");
            } else {
                plain.append(c);
            }
        }
        return plain.toString();
    }

    private static SelectorException error(String selector, String message) {
        return new SelectorException("invalid field selector \"" + selector + "\": " + message);
    }

    public List<FieldRequirement> requirements() {
        return requirements;
    }

    public boolean isEverything() {
        return requirements.isEmpty();
    }

    /** The fields the selector names, in canonical order. */
    public Set<String> fields() {
        return requirements.stream().map(FieldRequirement::field).collect(Collectors.toCollection(LinkedHashSet::new));
    }

    /** The value an {@code =} requirement pins {@code field} to, e.g. {@code metadata.name}, to look an object up directly. */
    public Optional<String> requiredValue(String field) {
        return requirements.stream()
                .filter(r -> r.field().equals(field) && r.operator() == FieldOperator.EQUALS)
                .map(FieldRequirement::value)
                .findFirst();
    }

    /** @throws SelectorException {@code field label not supported: <field>} for the first field not supported */
    public void requireSupported(Predicate<String> supported) {
        for (FieldRequirement requirement : requirements) {
            if (!supported.test(requirement.field())) {
                throw new SelectorException("field label not supported: " + requirement.field());
            }
        }
    }

    public void requireSupported(Collection<String> supportedFields) {
        requireSupported(supportedFields::contains);
    }

    /** {@code fieldValue} gives an object's value of a field; null counts as the empty string. */
    public boolean matches(Function<String, String> fieldValue) {
        for (FieldRequirement requirement : requirements) {
            if (!requirement.matches(fieldValue)) {
                return false;
            }
        }
        return true;
    }

    /** The canonical string form, which {@link #parse} reads back; the empty string for the empty selector. */
    @Override
    public String toString() {
        return requirements.stream().map(FieldRequirement::toString).collect(Collectors.joining(","));
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof FieldSelector that && requirements.equals(that.requirements);
    }

    @Override
    public int hashCode() {
        return requirements.hashCode();
    }
}
