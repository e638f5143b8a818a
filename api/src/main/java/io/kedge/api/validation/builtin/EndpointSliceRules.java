package io.kedge.api.validation.builtin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kedge.api.validation.ErrorCollector;
import io.kedge.api.validation.FieldPath;
import io.kedge.api.validation.Formats;
import io.kedge.api.validation.KindRules;
import io.kedge.api.validation.MetadataValidator;
import io.kedge.api.validation.Nodes;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** discovery.k8s.io/v1 EndpointSlice. */
final class EndpointSliceRules implements KindRules {
    static final List<String> ADDRESS_TYPES = List.of("IPv4", "IPv6", "FQDN");
    static final int MAX_ENDPOINTS = 1000;
    static final int MAX_ADDRESSES = 100;
    static final int MAX_PORTS = 20000;

    @Override
    public void validate(ObjectNode slice, ErrorCollector errs) {
        FieldPath typePath = FieldPath.ROOT.child("addressType");
        String type = errs.requiredString(slice, "addressType", FieldPath.ROOT, "");
        if (type != null && !ADDRESS_TYPES.contains(type)) {
            errs.notSupported(typePath, type, ADDRESS_TYPES);
            type = null;
        }
        List<ErrorCollector.Indexed> endpoints = errs.objects(slice, "endpoints", FieldPath.ROOT);
        if (endpoints.size() > MAX_ENDPOINTS) {
            errs.tooMany(FieldPath.ROOT.child("endpoints"), endpoints.size(), MAX_ENDPOINTS);
        }
        for (ErrorCollector.Indexed ep : endpoints) {
            validateEndpoint(ep, type, errs);
        }
        List<ErrorCollector.Indexed> ports = errs.objects(slice, "ports", FieldPath.ROOT);
        if (ports.size() > MAX_PORTS) {
            errs.tooMany(FieldPath.ROOT.child("ports"), ports.size(), MAX_PORTS);
        }
        Set<String> names = new HashSet<>();
        for (ErrorCollector.Indexed port : ports) {
            FieldPath p = port.path();
            String name = errs.string(port.node(), "name", p);
            String key = name == null ? "" : name;
            if (!key.isEmpty()) {
                errs.invalidEach(p.child("name"), name, Formats.dns1123Label(name));
            }
            if (!names.add(key)) {
                errs.duplicate(p.child("name"), key);
            }
            Integer number = errs.int32(port.node(), "port", p);
            if (number != null && !Formats.isValidPort(number)) {
                errs.invalid(p.child("port"), number, Formats.PORT_RANGE_MESSAGE);
            }
            String protocol = errs.string(port.node(), "protocol", p);
            if (protocol != null && !ContainerRules.PROTOCOLS.contains(protocol)) {
                errs.notSupported(p.child("protocol"), protocol, ContainerRules.PROTOCOLS);
            }
        }
    }

    private static void validateEndpoint(ErrorCollector.Indexed ep, String type, ErrorCollector errs) {
        FieldPath ap = ep.path().child("addresses");
        List<String> addresses = errs.stringList(ep.node(), "addresses", ep.path());
        if (addresses.isEmpty()) {
            errs.required(ap, "must contain at least 1 address");
        } else if (addresses.size() > MAX_ADDRESSES) {
            errs.tooMany(ap, addresses.size(), MAX_ADDRESSES);
        }
        for (int i = 0; i < addresses.size(); i++) {
            String a = addresses.get(i);
            if ("IPv4".equals(type)) {
                errs.invalidEach(ap.index(i), a, Formats.isIPv4(a) ? EndpointAddresses.problems(a)
                        : List.of("must be a valid IPv4 address"));
            } else if ("IPv6".equals(type)) {
                errs.invalidEach(ap.index(i), a, Formats.isIPv6(a) ? EndpointAddresses.problems(a)
                        : List.of("must be a valid IPv6 address"));
            } else if ("FQDN".equals(type)) {
                errs.invalidEach(ap.index(i), a, Formats.dns1123Subdomain(a));
            }
        }
        ObjectNode conditions = errs.object(ep.node(), "conditions", ep.path());
        for (String c : new String[] {"ready", "serving", "terminating"}) {
            errs.bool(conditions, c, ep.path().child("conditions"));
        }
        String hostname = errs.string(ep.node(), "hostname", ep.path());
        if (hostname != null && !hostname.isEmpty()) {
            errs.invalidEach(ep.path().child("hostname"), hostname, Formats.dns1123Label(hostname));
        }
        String nodeName = errs.string(ep.node(), "nodeName", ep.path());
        if (nodeName != null && !nodeName.isEmpty()) {
            errs.invalidEach(ep.path().child("nodeName"), nodeName, Formats.dns1123Subdomain(nodeName));
        }
    }

    @Override
    public void validateUpdate(ObjectNode slice, ObjectNode old, ErrorCollector errs) {
        String before = Nodes.textOrEmpty(old, "addressType");
        String now = Nodes.textOrEmpty(slice, "addressType");
        if (!before.equals(now)) {
            errs.invalid(FieldPath.ROOT.child("addressType"), now, MetadataValidator.IMMUTABLE);
        }
    }

    static void defaults(ObjectNode slice) {
        for (ObjectNode port : Nodes.objects(slice, "ports")) {
            if (Nodes.isUnset(port, "name")) {
                port.put("name", "");
            }
            Nodes.defaultText(port, "protocol", "TCP");
        }
    }
}
