package io.kedge.api.table;

import static io.kedge.api.table.ColumnDefinition.string;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** endpoints and endpointslices: the first three addresses, then a count of the rest. */
final class EndpointPrinters {
    private static final int SHOWN = 3;

    private EndpointPrinters() {}

    static TablePrinter endpoints() {
        return new RowPrinter(List.of(
                Columns.NAME,
                string("Endpoints", "The first addresses (ip:port) of the endpoints."),
                Columns.AGE),
                (ep, now) -> new Object[] {Fields.name(ep), endpointAddresses(ep), Fields.age(ep, now)});
    }

    static TablePrinter endpointSlices() {
        return new RowPrinter(List.of(
                Columns.NAME,
                string("AddressType", "IPv4, IPv6 or FQDN."),
                string("Ports", "The first ports of the slice."),
                string("Endpoints", "The first addresses of the slice's endpoints."),
                Columns.AGE),
                (slice, now) -> new Object[] {
                    Fields.name(slice), Fields.text(slice, "addressType"), slicePorts(slice), sliceAddresses(slice),
                    Fields.age(slice, now)
                });
    }

    private static String endpointAddresses(JsonNode ep) {
        List<JsonNode> subsets = Fields.list(ep, "subsets");
        if (subsets.isEmpty()) {
            return Fields.NONE;
        }
        Shortlist shown = new Shortlist();
        for (JsonNode subset : subsets) {
            List<JsonNode> addresses = Fields.list(subset, "addresses");
            List<JsonNode> ports = Fields.list(subset, "ports");
            if (ports.isEmpty()) {
                // Headless services may publish addresses without ports.
                addresses.forEach(a -> shown.add(Fields.text(a, "ip")));
                continue;
            }
            for (JsonNode port : ports) {
                long number = Fields.number(port, "port");
                addresses.forEach(a -> shown.add(hostPort(Fields.text(a, "ip"), number)));
            }
        }
        return shown.toString("");
    }

    private static String slicePorts(JsonNode slice) {
        Shortlist shown = new Shortlist();
        for (JsonNode port : Fields.list(slice, "ports")) {
            if (Fields.present(port, "port")) {
                shown.add(Long.toString(Fields.number(port, "port")));
            } else if (Fields.present(port, "name")) {
                shown.add(Fields.text(port, "name"));
            } else {
                shown.add("*");
            }
        }
        return shown.toString("<unset>");
    }

    private static String sliceAddresses(JsonNode slice) {
        Shortlist shown = new Shortlist();
        for (JsonNode endpoint : Fields.list(slice, "endpoints")) {
            Fields.list(endpoint, "addresses").forEach(a -> shown.add(a.asText("")));
        }
        return shown.toString("<unset>");
    }

    private static String hostPort(String ip, long port) {
        return ip.contains(":") ? "[" + ip + "]:" + port : ip + ":" + port;
    }

    /** Keeps the first few entries and counts the rest. */
    private static final class Shortlist {
        private final List<String> kept = new ArrayList<>();
        private int total;

        void add(String entry) {
            total++;
            if (kept.size() < SHOWN) {
                kept.add(entry);
            }
        }

        String toString(String whenEmpty) {
            String joined = String.join(",", kept);
            if (total > SHOWN) {
                return joined + " + " + (total - SHOWN) + " more...";
            }
            return joined.isEmpty() ? whenEmpty : joined;
        }
    }
}
