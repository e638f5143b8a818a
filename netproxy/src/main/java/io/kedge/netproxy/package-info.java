/**
 * The node's service plumbing, fed from the hub so that it keeps working offline: ClusterIP and
 * NodePort Services programmed into iptables ({@code io.kedge.netproxy.iptables}), and a DNS server
 * for {@code cluster.local} that forwards everything else to the node's resolvers
 * ({@code io.kedge.netproxy.dns}).
 */
package io.kedge.netproxy;
