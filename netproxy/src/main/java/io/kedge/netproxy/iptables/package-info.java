/**
 * ClusterIP and NodePort Services through iptables (IPv4), fed from the node's hub.
 *
 * <p>{@link io.kedge.netproxy.iptables.ServiceProxy} watches Services and EndpointSlices;
 * {@link io.kedge.netproxy.iptables.ServiceTable} turns them into forwarded ports (ready endpoints
 * only, named target ports as the slices resolved them, headless and ExternalName Services left
 * out); {@link io.kedge.netproxy.iptables.RuleWriter} writes kedge's chains as one
 * {@code iptables-restore --noflush} input and {@link io.kedge.netproxy.iptables.RuleSyncer} applies
 * it when it changed, and keeps the jumps from the built-in chains in place.
 *
 * <p>The nat table: PREROUTING and OUTPUT jump to {@code KEDGE-SERVICES} (a rule per cluster IP and
 * port, then {@code KEDGE-NODEPORTS} for destinations of type LOCAL); each Service port has a
 * {@code KEDGE-SVC-*} chain that marks the packet and spreads it with {@code statistic} (and
 * {@code recent} for ClientIP affinity) over one {@code KEDGE-SEP-*} chain per endpoint, which DNATs;
 * POSTROUTING jumps to {@code KEDGE-POSTROUTING}, which masquerades marked packets. The filter table:
 * INPUT, FORWARD and OUTPUT jump (new connections) to {@code KEDGE-SERVICES}, which rejects, with an
 * ICMP port unreachable, the cluster IPs and node ports of Services without ready endpoints, so a
 * client is told at once instead of waiting for a timeout.
 */
package io.kedge.netproxy.iptables;
