package io.kedge.netproxy.iptables;

import java.util.List;
import java.util.Locale;

/**
 * One port of one Service as this node forwards it: where clients send (cluster IP and port, and
 * the node port if any) and the ready endpoints it is spread over.
 *
 * @param portName the Service port's name, empty when the Service has a single unnamed port
 * @param protocol {@code tcp}, {@code udp} or {@code sctp}
 * @param nodePort 0 when the Service has none
 * @param affinitySeconds ClientIP session affinity timeout, 0 for none
 * @param endpoints ready endpoints, sorted; empty means clients are rejected
 */
public record ProxiedPort(String namespace, String name, String portName, String protocol, String clusterIp, int port,
        int nodePort, int affinitySeconds, List<Endpoint> endpoints) {

    public ProxiedPort {
        protocol = protocol.toLowerCase(Locale.ROOT);
        if (!protocol.equals("tcp") && !protocol.equals("udp") && !protocol.equals("sctp")) {
            throw new IllegalArgumentException("service " + namespace + "/" + name + ": unsupported protocol " + protocol);
        }
        portName = portName == null ? "" : portName;
        endpoints = List.copyOf(endpoints);
    }

    /** {@code namespace/name} or {@code namespace/name:port}, as comments and logs show it. */
    public String displayName() {
        return namespace + "/" + name + (portName.isEmpty() ? "" : ":" + portName);
    }
}
