package io.kedge.kubelet;

import java.util.regex.Pattern;

/**
 * What the agent does to its node's network besides the pods' own: routes to its unit peers' pods
 * (host-gw), Services through iptables, and a DNS server for {@code cluster.local} on a node-local
 * address that pods use as their nameserver. An agent that shares its host with others (a test, a
 * kubelet-only install) turns it off, and its pods use the host's DNS.
 *
 * @param enabled    whether the agent programs routes, iptables and the node DNS
 * @param clusterDns the node-local address the DNS listens on and pods use; only meaningful when enabled
 */
public record NodeNetwork(boolean enabled, String clusterDns) {
    /** A link-local address, so it never collides with a site's own addressing (the one NodeLocal DNSCache uses upstream). */
    public static final String DEFAULT_CLUSTER_DNS = "169.254.20.10";
    public static final NodeNetwork OFF = new NodeNetwork(false, null);
    private static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4]\\d|1?\\d?\\d)(\\.(25[0-5]|2[0-4]\\d|1?\\d?\\d)){3}");

    public NodeNetwork {
        if (enabled && (clusterDns == null || !IPV4.matcher(clusterDns).matches())) {
            throw new IllegalArgumentException("cluster DNS address \"" + clusterDns + "\" is not an IPv4 address like "
                    + DEFAULT_CLUSTER_DNS);
        }
    }

    public static NodeNetwork on(String clusterDns) {
        return new NodeNetwork(true, clusterDns == null ? DEFAULT_CLUSTER_DNS : clusterDns);
    }
}
