package io.kedge.api.validation.builtin;

import io.kedge.api.validation.Formats;
import java.util.ArrayList;
import java.util.List;

/** The addresses an endpoint may not have: they would send service traffic somewhere meaningless. */
final class EndpointAddresses {
    private EndpointAddresses() {}

    static List<String> problems(String ip) {
        List<String> out = new ArrayList<>(Formats.ip(ip));
        if (!out.isEmpty()) {
            return out;
        }
        String lower = ip.toLowerCase(java.util.Locale.ROOT);
        if (ip.equals("0.0.0.0") || lower.equals("::")) {
            out.add("may not be unspecified (0.0.0.0)");
        } else if (ip.startsWith("127.") || lower.equals("::1")) {
            out.add("may not be in the loopback range (127.0.0.0/8, ::1/128)");
        } else if (ip.startsWith("169.254.") || lower.startsWith("fe80:")) {
            out.add("may not be in the link-local range (169.254.0.0/16, fe80::/10)");
        } else if (ip.startsWith("224.0.0.") || lower.startsWith("ff02:")) {
            out.add("may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)");
        }
        return out;
    }
}
