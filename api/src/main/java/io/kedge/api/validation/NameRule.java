package io.kedge.api.validation;

import java.util.List;

/** The format an object's {@code metadata.name} must have; it differs by kind. */
public enum NameRule {
    /** RFC 1123 subdomain, at most 253 characters: most kinds. */
    DNS_SUBDOMAIN,
    /** RFC 1123 label, at most 63 characters: namespaces, stateful sets, edge units. */
    DNS_LABEL,
    /** RFC 1035 label (starts with a letter): services, whose names become DNS names and env variables. */
    DNS1035_LABEL,
    /** Anything usable as a URL path segment: RBAC kinds, certificate signing requests. */
    PATH_SEGMENT;

    /**
     * Checks a name; with {@code prefix} it checks a {@code generateName}, which may end in '-'
     * because the server appends a random suffix.
     */
    public List<String> check(String name, boolean prefix) {
        String n = prefix && name.endsWith("-") ? name.substring(0, name.length() - 1) + "a" : name;
        return switch (this) {
            case DNS_SUBDOMAIN -> Formats.dns1123Subdomain(n);
            case DNS_LABEL -> Formats.dns1123Label(n);
            case DNS1035_LABEL -> Formats.dns1035Label(n);
            case PATH_SEGMENT -> Formats.pathSegment(name, prefix);
        };
    }
}
