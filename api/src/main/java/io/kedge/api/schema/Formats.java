package io.kedge.api.schema;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The string formats Kubernetes checks in custom resources. Unknown formats are accepted, as upstream
 * does. Names compare without case, dashes or underscores ({@code date-time} = {@code datetime}).
 * Not checked (accepted as is): {@code isbn*}, {@code creditcard}, {@code password}.
 */
final class Formats {
    private static final Pattern UUID = uuid("[0-9a-f]{4}", "[0-9a-f]{4}");
    private static final Pattern UUID3 = uuid("3[0-9a-f]{3}", "[0-9a-f]{4}");
    private static final Pattern UUID4 = uuid("4[0-9a-f]{3}", "[89ab][0-9a-f]{3}");
    private static final Pattern UUID5 = uuid("5[0-9a-f]{3}", "[89ab][0-9a-f]{3}");
    private static final Pattern BASE64 = Pattern.compile("([A-Za-z0-9+/]{4})*([A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?");
    private static final Pattern DATE = Pattern.compile("(\\d{4})-(\\d{2})-(\\d{2})");
    private static final Pattern DATE_TIME = Pattern.compile(
            "(\\d{4}-\\d{2}-\\d{2})[Tt ](\\d{2}):(\\d{2})(?::(\\d{2})(?:\\.\\d{1,9})?)?([Zz]|[+-]\\d{2}:?\\d{2})?");
    private static final Pattern DURATION = Pattern.compile(
            "[-+]?(((\\d+(\\.\\d*)?|\\.\\d+)(ns|us|µs|μs|ms|s|m|h))+|0)"
                    + "|\\d+\\s*(ns|us|µs|ms|s|m|h|d|w|nanoseconds?|microseconds?|milliseconds?|seconds?"
                    + "|minutes?|hours?|days?|weeks?)");
    /** A DNS label; letters and symbols beyond ASCII pass, as Kubernetes lets them pass. */
    private static final Pattern HOSTNAME_LABEL =
            Pattern.compile("[\\p{L}\\p{S}0-9]([\\p{L}\\p{S}0-9-]{0,61}[\\p{L}\\p{S}0-9])?");
    private static final Pattern EMAIL = Pattern.compile("[^@\\s<>\"]+@[^@\\s<>\"]+");
    private static final Pattern EMAIL_WITH_NAME = Pattern.compile("[^<>]*<([^<>]+)>");
    private static final Pattern HEX_COLOR = Pattern.compile("#?([0-9a-fA-F]{3}|[0-9a-fA-F]{6})");
    private static final Pattern RGB_COLOR = Pattern.compile(
            "rgb\\(\\s*(\\d{1,3})\\s*,\\s*(\\d{1,3})\\s*,\\s*(\\d{1,3})\\s*\\)");
    private static final Pattern SSN = Pattern.compile("\\d{3}[- ]?\\d{2}[- ]?\\d{4}");
    private static final Pattern BSON_OBJECT_ID = Pattern.compile("[0-9a-fA-F]{24}");

    private static final Map<String, Predicate<String>> CHECKS = Map.ofEntries(
            Map.entry("byte", s -> BASE64.matcher(s).matches()),
            Map.entry("datetime", Formats::isDateTime),
            Map.entry("date", Formats::isDate),
            Map.entry("duration", s -> DURATION.matcher(s).matches()),
            Map.entry("uri", Formats::isRequestUri),
            Map.entry("email", Formats::isEmail),
            Map.entry("hostname", Formats::isHostname),
            Map.entry("ipv4", NetworkAddresses::isIpv4),
            Map.entry("ipv6", NetworkAddresses::isIpv6),
            Map.entry("cidr", NetworkAddresses::isCidr),
            Map.entry("mac", NetworkAddresses::isMac),
            Map.entry("uuid", s -> UUID.matcher(s).matches()),
            Map.entry("uuid3", s -> UUID3.matcher(s).matches()),
            Map.entry("uuid4", s -> UUID4.matcher(s).matches()),
            Map.entry("uuid5", s -> UUID5.matcher(s).matches()),
            Map.entry("hexcolor", s -> HEX_COLOR.matcher(s).matches()),
            Map.entry("rgbcolor", Formats::isRgbColor),
            Map.entry("ssn", s -> SSN.matcher(s).matches()),
            Map.entry("bsonobjectid", s -> BSON_OBJECT_ID.matcher(s).matches()));

    private Formats() {}

    /** A UUID whose third and fourth groups follow the given version and variant patterns. */
    private static Pattern uuid(String versionGroup, String variantGroup) {
        return Pattern.compile("(?i)[0-9a-f]{8}-?[0-9a-f]{4}-?" + versionGroup + "-?" + variantGroup + "-?[0-9a-f]{12}");
    }

    /** False only when the format is one this class checks and the text does not have it. */
    static boolean accepts(String format, String text) {
        Predicate<String> check = CHECKS.get(normalize(format));
        return check == null || check.test(text);
    }

    static String normalize(String format) {
        return format.toLowerCase(Locale.ROOT).replace("-", "").replace("_", "");
    }

    private static boolean isDate(String s) {
        Matcher m = DATE.matcher(s);
        if (!m.matches()) {
            return false;
        }
        try {
            LocalDate.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)));
            return true;
        } catch (DateTimeException e) {
            return false;
        }
    }

    private static boolean isDateTime(String s) {
        Matcher m = DATE_TIME.matcher(s);
        if (!m.matches() || !isDate(m.group(1))) {
            return false;
        }
        try {
            LocalTime.of(Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)),
                    m.group(4) == null ? 0 : Integer.parseInt(m.group(4)));
        } catch (DateTimeException e) {
            return false;
        }
        String zone = m.group(5);
        if (zone == null || zone.length() == 1) {
            return true;
        }
        String digits = zone.substring(1).replace(":", "");
        return Integer.parseInt(digits.substring(0, 2)) < 24 && Integer.parseInt(digits.substring(2)) < 60;
    }

    /** Go's {@code url.ParseRequestURI}: an absolute URI, or an absolute path. */
    private static boolean isRequestUri(String s) {
        if (s.isEmpty() || s.chars().anyMatch(c -> c <= ' ' || c == 0x7F)) {
            return false;
        }
        try {
            URI uri = new URI(s);
            return uri.isAbsolute() || s.startsWith("/");
        } catch (URISyntaxException e) {
            return false;
        }
    }

    private static boolean isEmail(String s) {
        Matcher named = EMAIL_WITH_NAME.matcher(s.trim());
        String address = named.matches() ? named.group(1).trim() : s.trim();
        return EMAIL.matcher(address).matches();
    }

    private static boolean isHostname(String s) {
        if (s.isEmpty() || s.length() > 255) {
            return false;
        }
        for (String label : s.split("\\.", -1)) {
            if (!HOSTNAME_LABEL.matcher(label).matches()) {
                return false;
            }
        }
        return true;
    }

    private static boolean isRgbColor(String s) {
        Matcher m = RGB_COLOR.matcher(s);
        if (!m.matches()) {
            return false;
        }
        for (int i = 1; i <= 3; i++) {
            if (Integer.parseInt(m.group(i)) > 255) {
                return false;
            }
        }
        return true;
    }
}
