package io.kedge.api.validation;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The string formats of the Kubernetes API. Each check returns the problems it found (empty when the
 * value is fine), so one value can fail for several reasons at once, as upstream reports them.
 */
public final class Formats {
    public static final int DNS1123_LABEL_MAX = 63;
    public static final int DNS1123_SUBDOMAIN_MAX = 253;
    public static final int QUALIFIED_NAME_MAX = 63;
    public static final int LABEL_VALUE_MAX = 63;
    public static final int CONFIG_KEY_MAX = 253;
    public static final int PORT_NAME_MAX = 15;

    private static final String LABEL_RE = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
    private static final String SUBDOMAIN_RE = LABEL_RE + "(\\." + LABEL_RE + ")*";
    private static final String DNS1035_RE = "[a-z]([-a-z0-9]*[a-z0-9])?";
    private static final String QUALIFIED_RE = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
    private static final String CONFIG_KEY_RE = "[-._a-zA-Z0-9]+";
    private static final Pattern LABEL = Pattern.compile(LABEL_RE);
    private static final Pattern SUBDOMAIN = Pattern.compile(SUBDOMAIN_RE);
    private static final Pattern DNS1035 = Pattern.compile(DNS1035_RE);
    private static final Pattern QUALIFIED = Pattern.compile(QUALIFIED_RE);
    private static final Pattern CONFIG_KEY = Pattern.compile(CONFIG_KEY_RE);
    private static final Pattern PORT_NAME_CHARS = Pattern.compile("[-a-z0-9]+");
    private static final Pattern HAS_LETTER = Pattern.compile(".*[a-z].*");
    private static final Pattern PERCENT = Pattern.compile("[0-9]+%");
    private static final Pattern IPV4 = Pattern.compile(
            "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}");
    private static final Pattern IPV6_CHARS = Pattern.compile("[0-9A-Fa-f:.]+");

    private Formats() {}

    public static String maxLengthMessage(int max) {
        return "must be no more than " + max + " characters";
    }

    /** RFC 1123 label: lowercase alphanumerics and '-', alphanumeric at both ends, at most 63 characters. */
    public static List<String> dns1123Label(String value) {
        List<String> out = new ArrayList<>();
        if (value.length() > DNS1123_LABEL_MAX) {
            out.add(maxLengthMessage(DNS1123_LABEL_MAX));
        }
        if (!LABEL.matcher(value).matches()) {
            out.add("a lowercase RFC 1123 label must contain only lowercase alphanumeric characters or '-', "
                    + "and must start and end with an alphanumeric character (e.g. 'my-name' or '123-abc'; "
                    + "regex used for validation is '" + LABEL_RE + "')");
        }
        return out;
    }

    /** RFC 1123 subdomain: dot-separated labels, at most 253 characters. */
    public static List<String> dns1123Subdomain(String value) {
        List<String> out = new ArrayList<>();
        if (value.length() > DNS1123_SUBDOMAIN_MAX) {
            out.add(maxLengthMessage(DNS1123_SUBDOMAIN_MAX));
        }
        if (!SUBDOMAIN.matcher(value).matches()) {
            out.add("a lowercase RFC 1123 subdomain must contain only lowercase alphanumeric characters, '-' or '.', "
                    + "and must start and end with an alphanumeric character (e.g. 'example.com'; "
                    + "regex used for validation is '" + SUBDOMAIN_RE + "')");
        }
        return out;
    }

    /** RFC 1035 label: like an RFC 1123 label, but it must start with a letter. */
    public static List<String> dns1035Label(String value) {
        List<String> out = new ArrayList<>();
        if (value.length() > DNS1123_LABEL_MAX) {
            out.add(maxLengthMessage(DNS1123_LABEL_MAX));
        }
        if (!DNS1035.matcher(value).matches()) {
            out.add("a DNS-1035 label must contain only lowercase alphanumeric characters or '-', start with an "
                    + "alphabetic character, and end with an alphanumeric character (e.g. 'my-name' or 'abc-123'; "
                    + "regex used for validation is '" + DNS1035_RE + "')");
        }
        return out;
    }

    /** A name usable as one URL path segment: anything but '.', '..', or a name with '/' or '%'. */
    public static List<String> pathSegment(String value, boolean prefix) {
        List<String> out = new ArrayList<>();
        if (!prefix && (value.equals(".") || value.equals(".."))) {
            out.add("may not be '" + value + "'");
        }
        for (String bad : new String[] {"/", "%"}) {
            if (value.contains(bad)) {
                out.add("may not contain '" + bad + "'");
            }
        }
        return out;
    }

    /** A label key, annotation key or finalizer: an optional DNS-subdomain prefix and '/', then a name. */
    public static List<String> qualifiedName(String value) {
        List<String> out = new ArrayList<>();
        String[] parts = value.split("/", -1);
        String name;
        if (parts.length == 1) {
            name = parts[0];
        } else if (parts.length == 2) {
            String prefix = parts[0];
            name = parts[1];
            if (prefix.isEmpty()) {
                out.add("prefix part must be non-empty");
            } else {
                for (String m : dns1123Subdomain(prefix)) {
                    out.add("prefix part " + m);
                }
            }
        } else {
            out.add("a qualified name must be a name part (alphanumerics, '-', '_' or '.', alphanumeric at both "
                    + "ends; regex '" + QUALIFIED_RE + "') with an optional DNS subdomain prefix and '/' "
                    + "(e.g. 'example.com/MyName')");
            return out;
        }
        if (name.isEmpty()) {
            out.add("name part must be non-empty");
        } else if (name.length() > QUALIFIED_NAME_MAX) {
            out.add("name part " + maxLengthMessage(QUALIFIED_NAME_MAX));
        }
        if (!name.isEmpty() && !QUALIFIED.matcher(name).matches()) {
            out.add("name part must contain only alphanumeric characters, '-', '_' or '.', and must start and end "
                    + "with an alphanumeric character (e.g. 'MyName', 'my.name' or '123-abc'; regex used for "
                    + "validation is '" + QUALIFIED_RE + "')");
        }
        return out;
    }

    /** A label value: empty, or at most 63 alphanumerics, '-', '_' and '.', alphanumeric at both ends. */
    public static List<String> labelValue(String value) {
        List<String> out = new ArrayList<>();
        if (value.length() > LABEL_VALUE_MAX) {
            out.add(maxLengthMessage(LABEL_VALUE_MAX));
        }
        if (!value.isEmpty() && !QUALIFIED.matcher(value).matches()) {
            out.add("a valid label must be an empty string or contain only alphanumeric characters, '-', '_' or "
                    + "'.', and must start and end with an alphanumeric character (e.g. 'MyValue', 'my_value' or "
                    + "'12345'; regex used for validation is '(" + QUALIFIED_RE + ")?')");
        }
        return out;
    }

    /** A key of ConfigMap or Secret data: also a file name when mounted. */
    public static List<String> configMapKey(String value) {
        List<String> out = new ArrayList<>();
        if (value.length() > CONFIG_KEY_MAX) {
            out.add(maxLengthMessage(CONFIG_KEY_MAX));
        }
        if (!CONFIG_KEY.matcher(value).matches()) {
            out.add("a valid config key must contain only alphanumeric characters, '-', '_' or '.' (e.g. "
                    + "'key.name', 'KEY_NAME' or 'key-name'; regex used for validation is '" + CONFIG_KEY_RE + "')");
        }
        if (value.equals(".")) {
            out.add("must not be '.'");
        } else if (value.equals("..")) {
            out.add("must not be '..'");
        } else if (value.startsWith("..")) {
            out.add("must not start with '..'");
        }
        return out;
    }

    /** A named port (IANA service name): at most 15 lowercase alphanumerics and '-', with a letter. */
    public static List<String> portName(String value) {
        List<String> out = new ArrayList<>();
        if (value.length() > PORT_NAME_MAX) {
            out.add(maxLengthMessage(PORT_NAME_MAX));
        }
        if (!PORT_NAME_CHARS.matcher(value).matches()) {
            out.add("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)");
        }
        if (value.contains("--")) {
            out.add("must not contain consecutive hyphens");
        }
        if (!HAS_LETTER.matcher(value).matches()) {
            out.add("must contain at least one letter (a-z)");
        }
        if (value.startsWith("-") || value.endsWith("-")) {
            out.add("must not begin or end with a hyphen");
        }
        return out;
    }

    public static boolean isValidPort(long port) {
        return port >= 1 && port <= 65535;
    }

    public static final String PORT_RANGE_MESSAGE = "must be between 1 and 65535, inclusive";

    /** A percentage such as {@code 25%}, as rolling-update and disruption-budget fields take. */
    public static boolean isPercent(String value) {
        return PERCENT.matcher(value).matches();
    }

    public static boolean isIPv4(String value) {
        return IPV4.matcher(value).matches();
    }

    /** A textual IPv6 address (an IPv4 tail is allowed); parsed by hand so nothing is ever resolved. */
    public static boolean isIPv6(String value) {
        if (!value.contains(":") || !IPV6_CHARS.matcher(value).matches()) {
            return false;
        }
        int gap = value.indexOf("::");
        if (gap >= 0 && value.indexOf("::", gap + 1) >= 0) {
            return false;
        }
        if (gap < 0) {
            return ipv6Groups(value) == 8;
        }
        int head = gap == 0 ? 0 : ipv6Groups(value.substring(0, gap));
        String tailText = value.substring(gap + 2);
        int tail = tailText.isEmpty() ? 0 : ipv6Groups(tailText);
        return head >= 0 && tail >= 0 && head + tail <= 7;
    }

    /** Counts the 16-bit groups of a colon-separated run, or -1 when one is malformed. */
    private static int ipv6Groups(String run) {
        String[] groups = run.split(":", -1);
        int count = 0;
        for (int i = 0; i < groups.length; i++) {
            String g = groups[i];
            if (i == groups.length - 1 && g.contains(".")) {
                if (!isIPv4(g)) {
                    return -1;
                }
                count += 2;
            } else if (g.length() >= 1 && g.length() <= 4 && g.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
                count++;
            } else {
                return -1;
            }
        }
        return count;
    }

    public static boolean isIP(String value) {
        return isIPv4(value) || isIPv6(value);
    }

    public static List<String> ip(String value) {
        return isIP(value) ? List.of() : List.of("must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)");
    }

    public static List<String> cidr(String value) {
        int slash = value.indexOf('/');
        if (slash > 0) {
            String ip = value.substring(0, slash);
            String bits = value.substring(slash + 1);
            int max = isIPv4(ip) ? 32 : isIPv6(ip) ? 128 : -1;
            if (max > 0 && bits.matches("[0-9]{1,3}") && Integer.parseInt(bits) <= max) {
                return List.of();
            }
        }
        return List.of("must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)");
    }

    /** Environment variable names: any printable ASCII except '=' (the relaxed rule of current releases). */
    public static List<String> envVarName(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 32 || c > 126 || c == '=') {
                return List.of("a valid environment variable name must consist only of printable ASCII "
                        + "characters other than '='");
            }
        }
        return List.of();
    }
}
