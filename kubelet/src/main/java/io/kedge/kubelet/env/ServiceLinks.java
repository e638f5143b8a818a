package io.kedge.kubelet.env;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The variables every container gets for the services it may reach by IP: {@code NAME_SERVICE_HOST},
 * {@code NAME_SERVICE_PORT}, {@code NAME_SERVICE_PORT_<PORTNAME>}, and the Docker-links family
 * {@code NAME_PORT}, {@code NAME_PORT_<port>_<PROTO>[_PROTO|_PORT|_ADDR]}. Headless services and
 * services without a ClusterIP have none.
 */
public final class ServiceLinks {
    private ServiceLinks() {
    }

    public static Map<String, String> variables(List<Service> services) {
        Map<String, String> env = new LinkedHashMap<>();
        List<Service> sorted = new ArrayList<>(services);
        sorted.sort(Comparator.comparing(s -> s.getMetadata().getName()));
        for (Service s : sorted) {
            String ip = s.getSpec() == null ? null : s.getSpec().getClusterIP();
            if (ip == null || ip.isEmpty() || ip.equals("None")) {
                continue;
            }
            String name = envName(s.getMetadata().getName());
            List<ServicePort> ports = s.getSpec().getPorts() == null ? List.of() : s.getSpec().getPorts();
            env.put(name + "_SERVICE_HOST", ip);
            if (!ports.isEmpty()) {
                env.put(name + "_SERVICE_PORT", String.valueOf(ports.get(0).getPort()));
            }
            for (ServicePort p : ports) {
                if (p.getName() != null && !p.getName().isEmpty()) {
                    env.put(name + "_SERVICE_PORT_" + envName(p.getName()), String.valueOf(p.getPort()));
                }
            }
            if (!ports.isEmpty()) {
                env.put(name + "_PORT", url(ip, ports.get(0)));
            }
            for (ServicePort p : ports) {
                String proto = protocol(p);
                String prefix = name + "_PORT_" + p.getPort() + "_" + proto.toUpperCase(Locale.ROOT);
                env.put(prefix, url(ip, p));
                env.put(prefix + "_PROTO", proto);
                env.put(prefix + "_PORT", String.valueOf(p.getPort()));
                env.put(prefix + "_ADDR", ip);
            }
        }
        return env;
    }

    private static String url(String ip, ServicePort p) {
        String host = ip.contains(":") ? "[" + ip + "]" : ip;
        return protocol(p) + "://" + host + ":" + p.getPort();
    }

    private static String protocol(ServicePort p) {
        return p.getProtocol() == null || p.getProtocol().isEmpty() ? "tcp" : p.getProtocol().toLowerCase(Locale.ROOT);
    }

    private static String envName(String name) {
        return name.toUpperCase(Locale.ROOT).replace('-', '_');
    }
}
