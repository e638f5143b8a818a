package io.kedge.hub;

import java.net.InetSocketAddress;
import java.util.Optional;

/**
 * How this node reaches a Service whose endpoints run in the cloud: at a local listener that the
 * agent relays through its tunnel. The hub serves such a Service's EndpointSlices pointing at that
 * listener, so the node's Service proxy needs to know nothing of the cloud.
 */
public interface CloudServices {
    /**
     * The local address for a Service port ({@code spec.ports[].port}, TCP); empty when it cannot
     * be reached that way. May bind a socket, so it is never called on an event loop.
     */
    Optional<InetSocketAddress> listenerFor(String namespace, String service, int port);
}
