package io.kedge.api.schema;

import java.util.Set;

/**
 * The address formats, parsed by hand: {@code InetAddress} would fall back to a DNS lookup for
 * some malformed input, which a validator must never do.
 */
final class NetworkAddresses {
    private static final Set<Integer> MAC_OCTETS = Set.of(6, 8, 20);
    private static final Set<Integer> MAC_DOT_GROUPS = Set.of(3, 4, 10);

    private NetworkAddresses() {}

    /** Dotted quad, no leading zeros (Go rejects them as ambiguous octal). */
    static boolean isIpv4(String s) {
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) {
            return false;
        }
        for (String part : parts) {
            if (part.isEmpty() || part.length() > 3 || !isDigits(part)
                    || (part.length() > 1 && part.charAt(0) == '0') || Integer.parseInt(part) > 255) {
                return false;
            }
        }
        return true;
    }

    static boolean isIpv6(String s) {
        if (!s.contains(":")) {
            return false;
        }
        int groupsNeeded = 8;
        String text = s;
        int lastColon = text.lastIndexOf(':');
        if (text.indexOf('.', lastColon) >= 0) {
            if (!isIpv4(text.substring(lastColon + 1))) {
                return false;
            }
            // keep the colon so the text still ends in a group boundary
            text = text.substring(0, lastColon + 1) + "0";
            groupsNeeded = 7;
        }
        int gap = text.indexOf("::");
        if (gap >= 0) {
            if (text.indexOf("::", gap + 1) >= 0) {
                return false;
            }
            int head = countGroups(text.substring(0, gap));
            int tail = countGroups(text.substring(gap + 2));
            return head >= 0 && tail >= 0 && head + tail < groupsNeeded;
        }
        return countGroups(text) == groupsNeeded;
    }

    static boolean isCidr(String s) {
        int slash = s.indexOf('/');
        if (slash < 0) {
            return false;
        }
        String address = s.substring(0, slash);
        String prefix = s.substring(slash + 1);
        int maxPrefix = isIpv4(address) ? 32 : isIpv6(address) ? 128 : -1;
        return maxPrefix > 0 && !prefix.isEmpty() && prefix.length() <= 3 && isDigits(prefix)
                && Integer.parseInt(prefix) <= maxPrefix;
    }

    /** IEEE 802 MAC-48, EUI-64 or 20-octet InfiniBand, with colons, dashes or dotted groups of four. */
    static boolean isMac(String s) {
        if (s.contains(".")) {
            String[] groups = s.split("\\.", -1);
            return MAC_DOT_GROUPS.contains(groups.length) && allHex(groups, 4);
        }
        char separator = s.length() > 2 ? s.charAt(2) : ' ';
        if (separator != ':' && separator != '-') {
            return false;
        }
        String[] octets = s.split(separator == ':' ? ":" : "-", -1);
        return MAC_OCTETS.contains(octets.length) && allHex(octets, 2);
    }

    /** Colon-separated groups of 1-4 hex digits; -1 when malformed, 0 for the empty text. */
    private static int countGroups(String text) {
        if (text.isEmpty()) {
            return 0;
        }
        String[] groups = text.split(":", -1);
        for (String group : groups) {
            if (group.isEmpty() || group.length() > 4 || !isHex(group)) {
                return -1;
            }
        }
        return groups.length;
    }

    private static boolean allHex(String[] parts, int length) {
        for (String part : parts) {
            if (part.length() != length || !isHex(part)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isDigits(String s) {
        return s.chars().allMatch(c -> c >= '0' && c <= '9');
    }

    private static boolean isHex(String s) {
        return s.chars().allMatch(c -> Character.digit(c, 16) >= 0 && c < 128);
    }
}
