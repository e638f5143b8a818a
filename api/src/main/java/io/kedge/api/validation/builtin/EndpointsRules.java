package io.kedge.api.validation.builtin;

import io.kedge.api.validation.ErrorCollector;
import io.kedge.api.validation.FieldPath;
import io.kedge.api.validation.Formats;
import io.kedge.api.validation.KindRules;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kedge.api.validation.Nodes;
import java.util.List;

/** core/v1 Endpoints. */
final class EndpointsRules implements KindRules {
    @Override
    public void validate(ObjectNode endpoints, ErrorCollector errs) {
        for (ErrorCollector.Indexed subset : errs.objects(endpoints, "subsets", FieldPath.ROOT)) {
            List<ErrorCollector.Indexed> ready = errs.objects(subset.node(), "addresses", subset.path());
            List<ErrorCollector.Indexed> notReady = errs.objects(subset.node(), "notReadyAddresses", subset.path());
            if (ready.isEmpty() && notReady.isEmpty()) {
                errs.required(subset.path(), "must specify `addresses` or `notReadyAddresses`");
            }
            ready.forEach(a -> validateAddress(a, errs));
            notReady.forEach(a -> validateAddress(a, errs));
            List<ErrorCollector.Indexed> ports = errs.objects(subset.node(), "ports", subset.path());
            for (ErrorCollector.Indexed port : ports) {
                validatePort(port, ports.size() > 1, errs);
            }
        }
    }

    private static void validateAddress(ErrorCollector.Indexed address, ErrorCollector errs) {
        String ip = errs.requiredString(address.node(), "ip", address.path(), "");
        if (ip != null) {
            errs.invalidEach(address.path().child("ip"), ip, EndpointAddresses.problems(ip));
        }
        String hostname = errs.string(address.node(), "hostname", address.path());
        if (hostname != null && !hostname.isEmpty()) {
            errs.invalidEach(address.path().child("hostname"), hostname, Formats.dns1123Label(hostname));
        }
        String nodeName = errs.string(address.node(), "nodeName", address.path());
        if (nodeName != null && !nodeName.isEmpty()) {
            errs.invalidEach(address.path().child("nodeName"), nodeName, Formats.dns1123Subdomain(nodeName));
        }
    }

    private static void validatePort(ErrorCollector.Indexed port, boolean nameRequired, ErrorCollector errs) {
        FieldPath p = port.path();
        String name = errs.string(port.node(), "name", p);
        if (name == null || name.isEmpty()) {
            if (nameRequired) {
                errs.required(p.child("name"), "");
            }
        } else {
            errs.invalidEach(p.child("name"), name, Formats.dns1123Label(name));
        }
        Integer number = errs.int32(port.node(), "port", p);
        if (number == null || !Formats.isValidPort(number)) {
            errs.invalid(p.child("port"), number == null ? 0 : number, Formats.PORT_RANGE_MESSAGE);
        }
        String protocol = errs.string(port.node(), "protocol", p);
        if (protocol == null || protocol.isEmpty()) {
            errs.required(p.child("protocol"), "");
        } else if (!ContainerRules.PROTOCOLS.contains(protocol)) {
            errs.notSupported(p.child("protocol"), protocol, ContainerRules.PROTOCOLS);
        }
    }

    static void defaults(ObjectNode endpoints) {
        for (ObjectNode subset : Nodes.objects(endpoints, "subsets")) {
            Nodes.objects(subset, "ports").forEach(p -> Nodes.defaultText(p, "protocol", "TCP"));
        }
    }
}
