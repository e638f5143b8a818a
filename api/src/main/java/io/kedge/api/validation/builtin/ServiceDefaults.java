package io.kedge.api.validation.builtin;

import static io.kedge.api.validation.Nodes.defaultText;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kedge.api.validation.Nodes;

/**
 * Service defaults, plus what the upstream service registry settles before validation: the IP family
 * fields of a single-stack IPv4 cluster and the {@code clusterIP}/{@code clusterIPs} pair.
 */
final class ServiceDefaults {
    static final int CLIENT_IP_TIMEOUT_SECONDS = 10800;

    private ServiceDefaults() {}

    static void apply(ObjectNode service) {
        ObjectNode spec = Nodes.object(service, "spec");
        if (spec == null) {
            return;
        }
        defaultText(spec, "sessionAffinity", "None");
        String affinity = Nodes.text(spec, "sessionAffinity");
        if ("None".equals(affinity)) {
            spec.remove("sessionAffinityConfig");
        } else if ("ClientIP".equals(affinity)) {
            ObjectNode clientIP = Nodes.ensureObject(Nodes.ensureObject(spec, "sessionAffinityConfig"), "clientIP");
            Nodes.defaultInt(clientIP, "timeoutSeconds", CLIENT_IP_TIMEOUT_SECONDS);
        }
        defaultText(spec, "type", "ClusterIP");
        String type = Nodes.text(spec, "type");
        for (ObjectNode port : Nodes.objects(spec, "ports")) {
            defaultText(port, "protocol", "TCP");
            JsonNode target = port.get("targetPort");
            boolean unset = target == null || target.isNull() || (target.isNumber() && target.asInt() == 0)
                    || (target.isTextual() && target.textValue().isEmpty());
            if (unset && port.get("port") != null && port.get("port").isIntegralNumber()) {
                port.set("targetPort", port.get("port").deepCopy());
            }
        }
        boolean external = "NodePort".equals(type) || "LoadBalancer".equals(type);
        if (external) {
            defaultText(spec, "externalTrafficPolicy", "Cluster");
        }
        if (external || "ClusterIP".equals(type)) {
            defaultText(spec, "internalTrafficPolicy", "Cluster");
        }
        if ("LoadBalancer".equals(type)) {
            Nodes.defaultBool(spec, "allocateLoadBalancerNodePorts", true);
        }
        if (!"ExternalName".equals(type)) {
            defaultIpFields(spec);
        }
    }

    private static void defaultIpFields(ObjectNode spec) {
        String clusterIP = Nodes.text(spec, "clusterIP");
        ArrayNode clusterIPs = Nodes.array(spec, "clusterIPs");
        if ((clusterIP == null || clusterIP.isEmpty()) && clusterIPs != null && clusterIPs.size() > 0
                && clusterIPs.get(0).isTextual()) {
            spec.put("clusterIP", clusterIPs.get(0).textValue());
        } else if (clusterIP != null && !clusterIP.isEmpty() && Nodes.isUnset(spec, "clusterIPs")) {
            spec.putArray("clusterIPs").add(clusterIP);
        }
        boolean headlessWithoutSelector = "None".equals(Nodes.text(spec, "clusterIP"))
                && Nodes.stringMap(spec, "selector").isEmpty();
        // A headless service without selector has endpoints of any family; upstream asks for both.
        defaultText(spec, "ipFamilyPolicy", headlessWithoutSelector ? "RequireDualStack" : "SingleStack");
        if (Nodes.isUnset(spec, "ipFamilies") || (Nodes.array(spec, "ipFamilies") != null
                && Nodes.array(spec, "ipFamilies").isEmpty())) {
            String family = clusterIP != null && clusterIP.contains(":") ? "IPv6" : "IPv4";
            spec.putArray("ipFamilies").add(family);
        }
    }

    /**
     * Keeps what the server allocated when an update leaves it out: the cluster IPs, node ports and the
     * health-check node port, as {@code kubectl replace} of a hand-written manifest expects.
     */
    static void keepAllocated(ObjectNode service, ObjectNode old) {
        ObjectNode spec = Nodes.object(service, "spec");
        JsonNode oldSpec = old.path("spec");
        if (spec == null || !oldSpec.isObject()) {
            return;
        }
        String type = Nodes.textOrEmpty(spec, "type");
        if (!type.equals("ExternalName") && !Nodes.textOrEmpty(oldSpec, "type").equals("ExternalName")) {
            if (Nodes.isUnsetOrEmpty(spec, "clusterIP") && oldSpec.hasNonNull("clusterIP")) {
                spec.set("clusterIP", oldSpec.get("clusterIP").deepCopy());
                if (oldSpec.hasNonNull("clusterIPs")) {
                    spec.set("clusterIPs", oldSpec.get("clusterIPs").deepCopy());
                }
            }
            if (Nodes.isUnset(spec, "clusterIPs") && oldSpec.hasNonNull("clusterIPs")
                    && Nodes.textOrEmpty(spec, "clusterIP").equals(Nodes.textOrEmpty(oldSpec, "clusterIP"))) {
                spec.set("clusterIPs", oldSpec.get("clusterIPs").deepCopy());
            }
        }
        if (type.equals("NodePort") || type.equals("LoadBalancer")) {
            for (ObjectNode port : Nodes.objects(spec, "ports")) {
                JsonNode nodePort = port.get("nodePort");
                if (nodePort != null && !nodePort.isNull() && nodePort.asInt() != 0) {
                    continue;
                }
                for (ObjectNode before : Nodes.objects(oldSpec, "ports")) {
                    if (Nodes.sameContent(before.get("port"), port.get("port"))
                            && Nodes.textOrEmpty(before, "protocol").equals(Nodes.textOrEmpty(port, "protocol"))
                            && before.hasNonNull("nodePort")) {
                        port.set("nodePort", before.get("nodePort").deepCopy());
                    }
                }
            }
            if (Nodes.isUnset(spec, "healthCheckNodePort") && oldSpec.hasNonNull("healthCheckNodePort")
                    && "Local".equals(Nodes.text(spec, "externalTrafficPolicy"))) {
                spec.set("healthCheckNodePort", oldSpec.get("healthCheckNodePort").deepCopy());
            }
        }
    }
}
