package io.kedge.api.selector;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The syntax of Kubernetes label keys and values. A key is a name of at most 63 characters, optionally behind a
 * DNS subdomain prefix and '/'; a value is empty or a name of at most 63 characters.
 */
public final class LabelSyntax {
    public static final int MAX_NAME_LENGTH = 63;
    public static final int MAX_PREFIX_LENGTH = 253;

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9]([-_.A-Za-z0-9]*[A-Za-z0-9])?");
    private static final Pattern DNS_SUBDOMAIN = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    private static final String NAME_RULE = "must consist of alphanumeric characters, '-', '_' or '.', "
            + "and must start and end with an alphanumeric character";

    private LabelSyntax() {}

    /** Why {@code key} is not a valid label key, or empty if it is. */
    public static Optional<String> keyProblem(String key) {
        if (key == null || key.isEmpty()) {
            return Optional.of("a label key must not be empty");
        }
        int slash = key.indexOf('/');
        String name = slash < 0 ? key : key.substring(slash + 1);
        if (slash >= 0) {
            String prefix = key.substring(0, slash);
            if (prefix.isEmpty()) {
                return Optional.of("the prefix before '/' must not be empty");
            }
            if (prefix.length() > MAX_PREFIX_LENGTH) {
                return Optional.of("the prefix must be no more than " + MAX_PREFIX_LENGTH + " characters");
            }
            if (!DNS_SUBDOMAIN.matcher(prefix).matches()) {
                return Optional.of("the prefix \"" + prefix + "\" must be a DNS subdomain: lower case alphanumeric "
                        + "characters, '-' or '.', starting and ending with an alphanumeric character");
            }
        }
        if (name.isEmpty()) {
            return Optional.of("the name part must not be empty");
        }
        if (name.length() > MAX_NAME_LENGTH) {
            return Optional.of("the name part must be no more than " + MAX_NAME_LENGTH + " characters");
        }
        if (!NAME.matcher(name).matches()) {
            return Optional.of("the name part " + NAME_RULE);
        }
        return Optional.empty();
    }

    /** Why {@code value} is not a valid label value, or empty if it is. */
    public static Optional<String> valueProblem(String value) {
        if (value == null) {
            return Optional.of("a label value must be a string");
        }
        if (value.isEmpty()) {
            return Optional.empty();
        }
        if (value.length() > MAX_NAME_LENGTH) {
            return Optional.of("a label value must be no more than " + MAX_NAME_LENGTH + " characters");
        }
        if (!NAME.matcher(value).matches()) {
            return Optional.of("a label value must be empty or " + NAME_RULE.replace("must consist", "consist"));
        }
        return Optional.empty();
    }

    public static boolean isValidKey(String key) {
        return keyProblem(key).isEmpty();
    }

    public static boolean isValidValue(String value) {
        return valueProblem(value).isEmpty();
    }
}
