package io.kedge.kubelet.pod;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodDNSConfig;
import io.fabric8.kubernetes.api.model.PodDNSConfigOption;
import io.kedge.kubelet.cri.v1.DNSConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * A pod's DNS config, by its dnsPolicy as upstream kubelet does. The cluster's DNS is the node DNS
 * (netproxy, serving {@code cluster.local}): {@code ClusterFirst} pods, and {@code ClusterFirstWithHostNet}
 * pods on the host network, get it as their only nameserver, with the cluster's search domains before
 * the host's and {@code ndots:5}. {@code Default}, and {@code ClusterFirst} on the host network, take
 * the host's resolv.conf; so does every policy but {@code None} when the node has no DNS address. The
 * pod's {@code dnsConfig} is then merged in (servers and searches appended, options by name).
 */
final class PodDns {
    /** glibc uses at most 3 nameservers; upstream kubelet passes up to 32 search domains. */
    private static final int MAX_SERVERS = 3;
    private static final int MAX_SEARCHES = 32;
    static final String CLUSTER_DOMAIN = "cluster.local";

    private final Path resolvConf;
    private final String nodeDns;

    /** Without a node DNS: every policy but None starts from the host's resolv.conf. */
    PodDns(Path resolvConf) {
        this(resolvConf, null);
    }

    /**
     * @param resolvConf the host's resolv.conf
     * @param nodeDns    the node DNS's address (169.254.20.10), or null when the node has none
     */
    PodDns(Path resolvConf, String nodeDns) {
        this.resolvConf = resolvConf;
        this.nodeDns = nodeDns;
    }

    DNSConfig forPod(Pod pod) {
        String policy = pod.getSpec().getDnsPolicy() == null ? "ClusterFirst" : pod.getSpec().getDnsPolicy();
        boolean hostNetwork = Boolean.TRUE.equals(pod.getSpec().getHostNetwork());
        List<String> servers = new ArrayList<>();
        List<String> searches = new ArrayList<>();
        Map<String, String> options = new LinkedHashMap<>();
        boolean cluster = nodeDns != null && (policy.equals("ClusterFirstWithHostNet")
                || (policy.equals("ClusterFirst") && !hostNetwork));
        if (cluster) {
            Map<String, String> hostOptions = new LinkedHashMap<>();
            readHost(new ArrayList<>(), searches, hostOptions);
            String ns = pod.getMetadata() == null || pod.getMetadata().getNamespace() == null ? "default"
                    : pod.getMetadata().getNamespace();
            searches.addAll(0, List.of(ns + ".svc." + CLUSTER_DOMAIN, "svc." + CLUSTER_DOMAIN, CLUSTER_DOMAIN));
            servers.add(nodeDns);
            options.put("ndots", "5");
        } else if (!policy.equals("None")) {
            readHost(servers, searches, options);
        }
        PodDNSConfig extra = pod.getSpec().getDnsConfig();
        if (extra != null) {
            if (extra.getNameservers() != null) {
                servers.addAll(extra.getNameservers());
            }
            if (extra.getSearches() != null) {
                searches.addAll(extra.getSearches());
            }
            if (extra.getOptions() != null) {
                for (PodDNSConfigOption o : extra.getOptions()) {
                    if (o.getName() != null) {
                        options.put(o.getName(), o.getValue());
                    }
                }
            }
        }
        DNSConfig.Builder dns = DNSConfig.newBuilder();
        new LinkedHashSet<>(servers).stream().limit(MAX_SERVERS).forEach(dns::addServers);
        new LinkedHashSet<>(searches).stream().limit(MAX_SEARCHES).forEach(dns::addSearches);
        options.forEach((name, value) -> dns.addOptions(value == null ? name : name + ":" + value));
        return dns.build();
    }

    private void readHost(List<String> servers, List<String> searches, Map<String, String> options) {
        List<String> lines;
        try {
            lines = Files.readAllLines(resolvConf);
        } catch (IOException e) {
            return;
        }
        for (String raw : lines) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
                continue;
            }
            String[] f = line.split("\\s+");
            switch (f[0]) {
                case "nameserver" -> {
                    if (f.length > 1) {
                        servers.add(f[1]);
                    }
                }
                case "search", "domain" -> {
                    // a later search or domain line replaces the earlier ones
                    searches.clear();
                    for (int i = 1; i < f.length; i++) {
                        searches.add(f[i].endsWith(".") ? f[i].substring(0, f[i].length() - 1) : f[i]);
                    }
                }
                case "options" -> {
                    for (int i = 1; i < f.length; i++) {
                        int colon = f[i].indexOf(':');
                        options.put(colon < 0 ? f[i] : f[i].substring(0, colon), colon < 0 ? null : f[i].substring(colon + 1));
                    }
                }
                default -> {
                }
            }
        }
    }
}
