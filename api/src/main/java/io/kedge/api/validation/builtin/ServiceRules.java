package io.kedge.api.validation.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kedge.api.validation.ErrorCollector;
import io.kedge.api.validation.FieldPath;
import io.kedge.api.validation.Formats;
import io.kedge.api.validation.KindRules;
import io.kedge.api.validation.LabelRules;
import io.kedge.api.validation.Nodes;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** core/v1 Service, plus kedge's topology annotation. */
final class ServiceRules implements KindRules {
    static final List<String> TYPES = List.of("ClusterIP", "ExternalName", "LoadBalancer", "NodePort");
    static final List<String> AFFINITIES = List.of("ClientIP", "None");
    static final List<String> TRAFFIC_POLICIES = List.of("Cluster", "Local");
    static final List<String> IP_FAMILY_POLICIES = List.of("SingleStack", "PreferDualStack", "RequireDualStack");
    static final List<String> IP_FAMILIES = List.of("IPv4", "IPv6");
    /** kedge's service topology annotation and the values DESIGN.md allows. */
    static final String TOPOLOGY_ANNOTATION = "kedge.io/topology";
    static final List<String> TOPOLOGIES = List.of("unit", "node");
    static final int MAX_AFFINITY_TIMEOUT = 86400;
    private static final FieldPath SPEC = FieldPath.ROOT.child("spec");

    @Override
    public void validate(ObjectNode service, ErrorCollector errs) {
        validateTopology(service, errs);
        ObjectNode spec = errs.object(service, "spec", FieldPath.ROOT);
        String type = errs.string(spec, "type", SPEC);
        if (type == null || type.isEmpty()) {
            errs.required(SPEC.child("type"), "");
            type = "";
        } else if (!TYPES.contains(type)) {
            errs.notSupported(SPEC.child("type"), type, TYPES);
        }
        String clusterIP = errs.string(spec, "clusterIP", SPEC);
        boolean headless = "None".equals(clusterIP);
        boolean externalName = type.equals("ExternalName");
        boolean external = type.equals("NodePort") || type.equals("LoadBalancer");
        if (externalName) {
            validateExternalName(spec, errs);
        } else {
            validateClusterIPs(spec, clusterIP, type, errs);
        }
        validatePorts(spec, type, headless, externalName, external, errs);
        LabelRules.validateLabels(errs.stringMap(spec, "selector", SPEC), SPEC.child("selector"), errs);
        validateAffinity(spec, errs);
        String etp = errs.string(spec, "externalTrafficPolicy", SPEC);
        if (etp != null && !etp.isEmpty()) {
            if (!external) {
                errs.invalid(SPEC.child("externalTrafficPolicy"), etp,
                        "may only be set for externally-accessible services");
            } else if (!TRAFFIC_POLICIES.contains(etp)) {
                errs.notSupported(SPEC.child("externalTrafficPolicy"), etp, TRAFFIC_POLICIES);
            }
        }
        String itp = errs.string(spec, "internalTrafficPolicy", SPEC);
        if (itp != null && !TRAFFIC_POLICIES.contains(itp)) {
            errs.notSupported(SPEC.child("internalTrafficPolicy"), itp, TRAFFIC_POLICIES);
        }
        Integer healthPort = errs.int32(spec, "healthCheckNodePort", SPEC);
        if (healthPort != null && healthPort != 0) {
            if (!type.equals("LoadBalancer") || !"Local".equals(etp)) {
                errs.invalid(SPEC.child("healthCheckNodePort"), healthPort,
                        "may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'");
            } else if (!Formats.isValidPort(healthPort)) {
                errs.invalid(SPEC.child("healthCheckNodePort"), healthPort, Formats.PORT_RANGE_MESSAGE);
            }
        }
        List<String> externalIPs = errs.stringList(spec, "externalIPs", SPEC);
        for (int i = 0; i < externalIPs.size(); i++) {
            errs.invalidEach(SPEC.child("externalIPs").index(i), externalIPs.get(i), Formats.ip(externalIPs.get(i)));
        }
    }

    private static void validateTopology(ObjectNode service, ErrorCollector errs) {
        JsonNode value = service.path("metadata").path("annotations").get(TOPOLOGY_ANNOTATION);
        if (value != null && value.isTextual() && !TOPOLOGIES.contains(value.textValue())) {
            errs.notSupported(FieldPath.ROOT.child("metadata", "annotations").key(TOPOLOGY_ANNOTATION), value,
                    TOPOLOGIES);
        }
    }

    private static void validateExternalName(ObjectNode spec, ErrorCollector errs) {
        String name = errs.requiredString(spec, "externalName", SPEC, "");
        if (name != null) {
            String host = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
            errs.invalidEach(SPEC.child("externalName"), name, Formats.dns1123Subdomain(host));
        }
        if (!Nodes.textOrEmpty(spec, "clusterIP").isEmpty() || !errs.stringList(spec, "clusterIPs", SPEC).isEmpty()) {
            errs.forbidden(SPEC.child("clusterIPs"), "may not be set for ExternalName services");
        }
        if (spec.hasNonNull("ipFamilyPolicy")) {
            errs.forbidden(SPEC.child("ipFamilyPolicy"), "may not be set for ExternalName services");
        }
        if (!errs.stringList(spec, "ipFamilies", SPEC).isEmpty()) {
            errs.forbidden(SPEC.child("ipFamilies"), "may not be set for ExternalName services");
        }
    }

    private static void validateClusterIPs(ObjectNode spec, String clusterIP, String type, ErrorCollector errs) {
        List<String> ips = errs.stringList(spec, "clusterIPs", SPEC);
        FieldPath ipsPath = SPEC.child("clusterIPs");
        // clusterIPs[0] mirrors clusterIP; each address is checked once, in the list when there is one.
        if (clusterIP != null && !clusterIP.isEmpty()) {
            if (ips.isEmpty() && !clusterIP.equals("None")) {
                errs.invalidEach(SPEC.child("clusterIP"), clusterIP, Formats.ip(clusterIP));
            }
            if (!ips.isEmpty() && !ips.get(0).equals(clusterIP)) {
                errs.invalid(ipsPath, String.join(",", ips), "first value must match `clusterIP`");
            }
        }
        for (int i = 0; i < ips.size(); i++) {
            String ip = ips.get(i);
            if (ip.equals("None")) {
                if (i > 0 || ips.size() > 1) {
                    errs.invalid(ipsPath.index(i), ip, "must not have multiple values if the first is 'None'");
                }
            } else {
                errs.invalidEach(ipsPath.index(i), ip, Formats.ip(ip));
            }
        }
        if (ips.size() > 2) {
            errs.invalid(ipsPath, String.join(",", ips), "may only hold up to 2 values");
        }
        if ("None".equals(clusterIP) && (type.equals("NodePort") || type.equals("LoadBalancer"))) {
            errs.invalid(ipsPath.index(0), "None", "may not be set to 'None' for " + type + " services");
        }
        String policy = errs.string(spec, "ipFamilyPolicy", SPEC);
        if (policy != null && !IP_FAMILY_POLICIES.contains(policy)) {
            errs.notSupported(SPEC.child("ipFamilyPolicy"), policy, IP_FAMILY_POLICIES);
        }
        List<String> families = errs.stringList(spec, "ipFamilies", SPEC);
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < families.size(); i++) {
            String family = families.get(i);
            if (!IP_FAMILIES.contains(family)) {
                errs.notSupported(SPEC.child("ipFamilies").index(i), family, IP_FAMILIES);
            } else if (!seen.add(family)) {
                errs.duplicate(SPEC.child("ipFamilies").index(i), family);
            }
        }
        if (families.size() > 2) {
            errs.invalid(SPEC.child("ipFamilies"), String.join(",", families), "may only hold up to 2 values");
        }
        if (families.size() > 1 && "SingleStack".equals(policy)) {
            errs.invalid(SPEC.child("ipFamilyPolicy"), policy,
                    "must be 'RequireDualStack' or 'PreferDualStack' when multiple IP families are specified");
        }
    }

    private static void validatePorts(ObjectNode spec, String type, boolean headless, boolean externalName,
                                      boolean external, ErrorCollector errs) {
        List<ErrorCollector.Indexed> ports = errs.objects(spec, "ports", SPEC);
        boolean noPorts = spec == null || Nodes.isUnset(spec, "ports")
                || (Nodes.array(spec, "ports") != null && Nodes.array(spec, "ports").isEmpty());
        if (noPorts && !headless && !externalName) {
            errs.required(SPEC.child("ports"), "");
        }
        Set<String> names = new HashSet<>();
        Set<String> portKeys = new HashSet<>();
        Set<String> nodePorts = new HashSet<>();
        for (ErrorCollector.Indexed port : ports) {
            FieldPath p = port.path();
            String name = errs.string(port.node(), "name", p);
            if (name == null || name.isEmpty()) {
                if (ports.size() > 1) {
                    errs.required(p.child("name"), "");
                }
            } else {
                errs.invalidEach(p.child("name"), name, Formats.dns1123Label(name));
                if (!names.add(name)) {
                    errs.duplicate(p.child("name"), name);
                }
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
            if (number != null && protocol != null && !portKeys.add(number + "/" + protocol)) {
                errs.duplicate(p, port.node());
            }
            JsonNode target = errs.intOrString(port.node(), "targetPort", p);
            if (target != null && target.isTextual()) {
                errs.invalidEach(p.child("targetPort"), target, Formats.portName(target.textValue()));
            } else if (target != null && !Formats.isValidPort(target.asInt())) {
                errs.invalid(p.child("targetPort"), target, Formats.PORT_RANGE_MESSAGE);
            }
            String appProtocol = errs.string(port.node(), "appProtocol", p);
            if (appProtocol != null && !appProtocol.isEmpty()) {
                errs.invalidEach(p.child("appProtocol"), appProtocol, Formats.qualifiedName(appProtocol));
            }
            Integer nodePort = errs.int32(port.node(), "nodePort", p);
            if (nodePort != null && nodePort != 0) {
                if (!external) {
                    errs.forbidden(p.child("nodePort"), "may not be used when `type` is '" + type + "'");
                } else if (!Formats.isValidPort(nodePort)) {
                    errs.invalid(p.child("nodePort"), nodePort, Formats.PORT_RANGE_MESSAGE);
                } else if (!nodePorts.add(nodePort + "/" + protocol)) {
                    errs.duplicate(p.child("nodePort"), nodePort);
                }
            }
        }
    }

    private static void validateAffinity(ObjectNode spec, ErrorCollector errs) {
        String affinity = errs.string(spec, "sessionAffinity", SPEC);
        if (affinity == null || affinity.isEmpty()) {
            if (spec != null) {
                errs.required(SPEC.child("sessionAffinity"), "");
            }
            return;
        }
        if (!AFFINITIES.contains(affinity)) {
            errs.notSupported(SPEC.child("sessionAffinity"), affinity, AFFINITIES);
            return;
        }
        FieldPath cp = SPEC.child("sessionAffinityConfig");
        ObjectNode config = errs.object(spec, "sessionAffinityConfig", SPEC);
        if (affinity.equals("None")) {
            if (config != null) {
                errs.invalid(cp, config, "must not be set when session affinity is None");
            }
            return;
        }
        Integer timeout = errs.int32(errs.object(config, "clientIP", cp), "timeoutSeconds", cp.child("clientIP"));
        if (timeout == null || timeout <= 0 || timeout > MAX_AFFINITY_TIMEOUT) {
            errs.invalid(cp.child("clientIP", "timeoutSeconds"), timeout == null ? 0 : timeout,
                    "must be greater than 0 and less than " + MAX_AFFINITY_TIMEOUT);
        }
    }

    @Override
    public void validateUpdate(ObjectNode service, ObjectNode old, ErrorCollector errs) {
        String type = service.path("spec").path("type").asText("");
        String oldType = old.path("spec").path("type").asText("");
        if (type.equals("ExternalName") || oldType.equals("ExternalName")) {
            return;
        }
        String before = old.path("spec").path("clusterIP").asText("");
        String now = service.path("spec").path("clusterIP").asText("");
        if (!before.isEmpty() && !now.isEmpty() && !before.equals(now)) {
            errs.invalid(SPEC.child("clusterIPs").index(0), now, "may not change once set");
        }
        JsonNode oldFamilies = old.path("spec").path("ipFamilies");
        JsonNode families = service.path("spec").path("ipFamilies");
        if (oldFamilies.size() > 0 && families.size() > 0
                && !oldFamilies.get(0).asText().equals(families.get(0).asText())) {
            errs.invalid(SPEC.child("ipFamilies").index(0), families.get(0), "may not change once set");
        }
    }
}
