package io.kedge.tunnel;

import java.net.InetSocketAddress;
import java.util.Map;
import java.util.TreeSet;

/**
 * The agent's answer to OPEN: dial the target's local address, and relay the stream to it once
 * connected; a target it does not know, or one that does not answer, is refused with the reason.
 */
final class LocalDialer implements StreamAcceptor {
    private final Map<String, InetSocketAddress> targets;

    LocalDialer(Map<String, InetSocketAddress> targets) {
        this.targets = Map.copyOf(targets);
    }

    @Override
    public void offered(StreamChannel stream, String target) {
        InetSocketAddress address = targets.get(target);
        if (address == null) {
            stream.reject("unknown target \"" + target + "\"; this agent serves " + new TreeSet<>(targets.keySet()));
            return;
        }
        StreamDialer.dialAndRelay(stream, address);
    }
}
