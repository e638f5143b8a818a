/**
 * The node DNS ({@link io.kedge.netproxy.dns.NodeDns}): {@code cluster.local} answered from the
 * Services and EndpointSlices the node's hub serves, so pods keep resolving Services by name while
 * the uplink is down; every other name forwarded to the node's own resolvers.
 */
package io.kedge.netproxy.dns;
