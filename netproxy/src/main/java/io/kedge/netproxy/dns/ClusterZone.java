package io.kedge.netproxy.dns;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.netty.handler.codec.dns.DnsRecord;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsResponseCode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The answers for {@code cluster.local} and for reverse names of Service and headless endpoint IPs,
 * following the Kubernetes DNS specification: {@code <svc>.<ns>.svc}, {@code _<port>._<proto>.<svc>.<ns>.svc},
 * {@code <hostname>.<svc>.<ns>.svc} for headless Services, and {@code a-b-c-d.<ns>.pod} (not checked against
 * pods, as upstream's default "pods insecure").
 */
final class ClusterZone {
    static final String ZONE = "cluster.local";

    private final ClusterCatalog catalog;
    private final long ttl;
    private final long serial = System.currentTimeMillis() / 1000;

    ClusterZone(ClusterCatalog catalog, long ttlSeconds) {
        this.catalog = catalog;
        this.ttl = ttlSeconds;
    }

    /** The answer, or null when the name is not the zone's and the query goes upstream. */
    Answer answer(String name, DnsRecordType type) {
        String lower = stripDot(name).toLowerCase(Locale.ROOT);
        if (lower.equals(ZONE) || lower.endsWith("." + ZONE)) {
            if (!catalog.synced()) {
                return Answer.failure();
            }
            String[] labels = reversedLabels(lower);
            return zone(labels, name, type);
        }
        if (type == DnsRecordType.PTR && catalog.synced()) {
            String ip = Addresses.fromReverse(lower);
            return ip == null ? null : reverse(ip, name);
        }
        if (lower.contains(".svc." + ZONE + ".")) {
            // a cluster name with one of the host's search domains appended (ndots:5 tries those before the
            // name itself): answered at once, so that a resolver the node cannot reach (a cut uplink) does not
            // hold every lookup of a Service for its timeouts
            return nxDomain();
        }
        return null;
    }

    private Answer zone(String[] l, String name, DnsRecordType type) {
        if (l.length == 0) {
            return type == DnsRecordType.SOA ? Answer.of(List.of(soa()), List.of()) : noData();
        }
        return switch (l[0]) {
            case "svc" -> services(l, name, type);
            case "pod" -> pod(l, name, type);
            default -> nxDomain();
        };
    }

    private Answer services(String[] l, String name, DnsRecordType type) {
        if (l.length == 1) {
            return noData();
        }
        if (l.length == 2) {
            return catalog.hasNamespace(l[1]) ? noData() : nxDomain();
        }
        Service svc = catalog.service(l[1], l[2]);
        if (svc == null || svc.getSpec() == null) {
            return nxDomain();
        }
        String fqdn = l[2] + "." + l[1] + ".svc." + ZONE + ".";
        return switch (l.length) {
            case 3 -> service(svc, fqdn, name, type);
            case 4 -> l[3].startsWith("_") ? protocolNode(svc, l[3].substring(1)) : endpoint(svc, l[3], name, type);
            case 5 -> l[3].startsWith("_") && l[4].startsWith("_") ? srv(svc, fqdn, l[3].substring(1), l[4].substring(1), name, type)
                    : nxDomain();
            default -> nxDomain();
        };
    }

    private Answer service(Service svc, String fqdn, String name, DnsRecordType type) {
        if ("ExternalName".equals(svc.getSpec().getType())) {
            return Answer.of(List.of(Records.cname(name, svc.getSpec().getExternalName(), ttl)), List.of());
        }
        boolean headless = headless(svc);
        if (type == DnsRecordType.A || type == DnsRecordType.AAAA) {
            int length = type == DnsRecordType.A ? 4 : 16;
            List<DnsRecord> out = new ArrayList<>();
            Set<String> seen = new LinkedHashSet<>();
            if (headless) {
                for (Backend b : backends(svc)) {
                    if (b.ip.length == length && seen.add(Addresses.canonical(b.address))) {
                        out.add(Records.address(name, b.ip, ttl));
                    }
                }
            } else {
                for (byte[] ip : clusterIps(svc)) {
                    if (ip.length == length) {
                        out.add(Records.address(name, ip, ttl));
                    }
                }
            }
            return out.isEmpty() ? noData() : Answer.of(out, List.of());
        }
        if (type == DnsRecordType.SRV) {
            List<DnsRecord> answers = new ArrayList<>();
            List<DnsRecord> extra = new ArrayList<>();
            for (ServicePort p : ports(svc)) {
                addSrv(svc, fqdn, p, name, answers, extra);
            }
            return answers.isEmpty() ? noData() : Answer.of(answers, extra);
        }
        return noData();
    }

    /** {@code _tcp.<svc>.<ns>.svc}: exists, without records, when the Service has a port of that protocol. */
    private Answer protocolNode(Service svc, String protocol) {
        return ports(svc).stream().anyMatch(p -> protocol(p).equalsIgnoreCase(protocol)) ? noData() : nxDomain();
    }

    private Answer srv(Service svc, String fqdn, String protocol, String port, String name, DnsRecordType type) {
        List<ServicePort> matching = ports(svc).stream()
                .filter(p -> port.equalsIgnoreCase(p.getName()) && protocol.equalsIgnoreCase(protocol(p))).toList();
        if (matching.isEmpty()) {
            return nxDomain();
        }
        if (type != DnsRecordType.SRV) {
            return noData();
        }
        List<DnsRecord> answers = new ArrayList<>();
        List<DnsRecord> extra = new ArrayList<>();
        for (ServicePort p : matching) {
            addSrv(svc, fqdn, p, name, answers, extra);
        }
        return answers.isEmpty() ? noData() : Answer.of(answers, extra);
    }

    private void addSrv(Service svc, String fqdn, ServicePort p, String name, List<DnsRecord> answers, List<DnsRecord> extra) {
        if ("ExternalName".equals(svc.getSpec().getType())) {
            answers.add(Records.srv(name, 0, 100, p.getPort(), svc.getSpec().getExternalName(), ttl));
        } else if (headless(svc)) {
            List<Backend> backends = backends(svc);
            Set<String> targets = new LinkedHashSet<>();
            for (Backend b : backends) {
                Integer port = b.port(p);
                String target = b.label + "." + fqdn;
                if (port != null && targets.add(target + port)) {
                    answers.add(Records.srv(name, 0, Math.max(1, 100 / backends.size()), port, target, ttl));
                    extra.add(Records.address(target, b.ip, ttl));
                }
            }
        } else {
            answers.add(Records.srv(name, 0, 100, p.getPort(), fqdn, ttl));
            for (byte[] ip : clusterIps(svc)) {
                extra.add(Records.address(fqdn, ip, ttl));
            }
        }
    }

    /** {@code <hostname>.<svc>.<ns>.svc}: a headless Service's endpoint by its hostname, or by its dashed IP without one. */
    private Answer endpoint(Service svc, String label, String name, DnsRecordType type) {
        if (!headless(svc)) {
            return nxDomain();
        }
        List<Backend> found = backends(svc).stream().filter(b -> b.label.equals(label)).toList();
        if (found.isEmpty()) {
            return nxDomain();
        }
        int length = type == DnsRecordType.A ? 4 : type == DnsRecordType.AAAA ? 16 : -1;
        Set<String> seen = new LinkedHashSet<>();
        List<DnsRecord> out = new ArrayList<>();
        for (Backend b : found) {
            if (b.ip.length == length && seen.add(Addresses.canonical(b.address))) {
                out.add(Records.address(name, b.ip, ttl));
            }
        }
        return out.isEmpty() ? noData() : Answer.of(out, List.of());
    }

    private Answer pod(String[] l, String name, DnsRecordType type) {
        if (l.length < 3) {
            return noData();
        }
        byte[] ip = l.length == 3 ? Addresses.fromDashed(l[2]) : null;
        if (ip == null) {
            return nxDomain();
        }
        boolean fits = (type == DnsRecordType.A && ip.length == 4) || (type == DnsRecordType.AAAA && ip.length == 16);
        return fits ? Answer.of(List.of(Records.address(name, ip, ttl)), List.of()) : noData();
    }

    /** PTR for a Service's cluster IP, or a headless Service's endpoint; null (ask upstream) for any other address. */
    private Answer reverse(String ip, String name) {
        List<DnsRecord> out = new ArrayList<>();
        for (Service s : catalog.servicesWithClusterIp(ip)) {
            out.add(Records.ptr(name, s.getMetadata().getName() + "." + s.getMetadata().getNamespace() + ".svc." + ZONE + ".", ttl));
        }
        for (EndpointSlice slice : catalog.slicesWithAddress(ip)) {
            String svcName = slice.getMetadata().getLabels().get(ClusterCatalog.SERVICE_NAME_LABEL);
            Service svc = catalog.service(slice.getMetadata().getNamespace(), svcName);
            if (svc != null && headless(svc)) {
                String fqdn = svcName + "." + slice.getMetadata().getNamespace() + ".svc." + ZONE + ".";
                for (Backend b : backends(svc)) {
                    if (Addresses.canonical(b.address).equals(ip)) {
                        out.add(Records.ptr(name, b.label + "." + fqdn, ttl));
                    }
                }
            }
        }
        return out.isEmpty() ? null : Answer.of(out, List.of());
    }

    private List<Backend> backends(Service svc) {
        boolean publishNotReady = Boolean.TRUE.equals(svc.getSpec().getPublishNotReadyAddresses());
        List<Backend> out = new ArrayList<>();
        for (EndpointSlice slice : catalog.slicesOf(svc.getMetadata().getNamespace(), svc.getMetadata().getName())) {
            if (slice.getEndpoints() == null || "FQDN".equals(slice.getAddressType())) {
                continue;
            }
            for (Endpoint e : slice.getEndpoints()) {
                boolean ready = e.getConditions() == null || e.getConditions().getReady() == null || e.getConditions().getReady();
                if ((!ready && !publishNotReady) || e.getAddresses() == null) {
                    continue;
                }
                for (String address : e.getAddresses()) {
                    byte[] ip = Addresses.bytes(address);
                    if (ip != null) {
                        String label = e.getHostname() != null && !e.getHostname().isEmpty()
                                ? e.getHostname().toLowerCase(Locale.ROOT) : Addresses.dashed(address);
                        out.add(new Backend(label, address, ip, slice.getPorts()));
                    }
                }
            }
        }
        return out;
    }

    private static List<byte[]> clusterIps(Service svc) {
        List<String> ips = svc.getSpec().getClusterIPs() != null && !svc.getSpec().getClusterIPs().isEmpty()
                ? svc.getSpec().getClusterIPs() : svc.getSpec().getClusterIP() == null ? List.of() : List.of(svc.getSpec().getClusterIP());
        List<byte[]> out = new ArrayList<>();
        for (String ip : ips) {
            byte[] b = Addresses.bytes(ip);
            if (b != null) {
                out.add(b);
            }
        }
        return out;
    }

    private static boolean headless(Service svc) {
        return "None".equals(svc.getSpec().getClusterIP());
    }

    private static List<ServicePort> ports(Service svc) {
        return svc.getSpec().getPorts() == null ? List.of() : svc.getSpec().getPorts();
    }

    private static String protocol(ServicePort p) {
        return p.getProtocol() == null ? "TCP" : p.getProtocol();
    }

    private Answer noData() {
        return new Answer(DnsResponseCode.NOERROR, List.of(), List.of(soa()), List.of());
    }

    private Answer nxDomain() {
        return new Answer(DnsResponseCode.NXDOMAIN, List.of(), List.of(soa()), List.of());
    }

    private DnsRecord soa() {
        return Records.soa(ZONE + ".", serial, ttl);
    }

    private static String stripDot(String name) {
        return name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
    }

    /** The labels left of the zone, nearest the zone first: {@code web.default.svc} -> [svc, default, web]. */
    private static String[] reversedLabels(String lower) {
        if (lower.equals(ZONE)) {
            return new String[0];
        }
        String[] labels = lower.substring(0, lower.length() - ZONE.length() - 1).split("\\.", -1);
        for (int i = 0, j = labels.length - 1; i < j; i++, j--) {
            String t = labels[i];
            labels[i] = labels[j];
            labels[j] = t;
        }
        return labels;
    }

    /** One ready address of a headless Service, with the name its records get and its slice's ports. */
    private record Backend(String label, String address, byte[] ip, List<EndpointPort> slicePorts) {
        /** The endpoint's port for a Service port: the slice port of the same name and protocol. */
        Integer port(ServicePort p) {
            if (slicePorts == null) {
                return null;
            }
            for (EndpointPort ep : slicePorts) {
                String epName = ep.getName() == null ? "" : ep.getName();
                String svcName = p.getName() == null ? "" : p.getName();
                String epProto = ep.getProtocol() == null ? "TCP" : ep.getProtocol();
                if (epName.equals(svcName) && epProto.equalsIgnoreCase(protocol(p))) {
                    return ep.getPort();
                }
            }
            return null;
        }
    }
}
