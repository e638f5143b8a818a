package io.kedge.apiserver.tunnel;

import io.kedge.tunnel.ServiceTarget;
import io.kedge.tunnel.StreamAcceptor;
import io.kedge.tunnel.StreamChannel;
import io.kedge.tunnel.StreamDialer;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's answer to the streams an agent opens: a {@code service/<namespace>/<name>/<port>}
 * target whose Service has ready endpoints on cloud nodes is dialed from here, spreading streams
 * over those endpoints (and past one that does not answer), and relayed; everything else is
 * refused with the reason. A refusal is logged once per kind and target, so that a client
 * retrying in a loop does not flood the log.
 */
final class ServiceStreams implements StreamAcceptor {
    private static final Logger LOG = LoggerFactory.getLogger(ServiceStreams.class);
    /** Bounds the memory of what was logged; past it, the slate is wiped and refusals are logged anew. */
    private static final int MAX_REMEMBERED_REFUSALS = 1024;

    private final CloudEndpoints endpoints;
    private final AtomicInteger next = new AtomicInteger();
    private final Map<String, Boolean> logged = new ConcurrentHashMap<>();

    ServiceStreams(CloudEndpoints endpoints) {
        this.endpoints = endpoints;
    }

    @Override
    public void offered(StreamChannel stream, String target) {
        String node = stream.session().peer();
        if (!ServiceTarget.isServiceTarget(target)) {
            refuse(node, stream, target, CloudEndpoints.Refusal.MALFORMED_TARGET, "unknown target \"" + target
                    + "\": the server serves only service/<namespace>/<name>/<port>");
            return;
        }
        ServiceTarget service;
        try {
            service = ServiceTarget.parse(target);
        } catch (IllegalArgumentException e) {
            refuse(node, stream, target, CloudEndpoints.Refusal.MALFORMED_TARGET, e.getMessage());
            return;
        }
        CloudEndpoints.Resolution resolution = endpoints.resolve(service);
        if (!resolution.found()) {
            refuse(node, stream, target, resolution.refusal(), resolution.reason());
            return;
        }
        for (CloudEndpoints.Refusal kind : CloudEndpoints.Refusal.values()) {
            logged.remove(kind + " " + target); // it works again: a later refusal is news
        }
        // each stream starts at the next endpoint, and falls through to the others when it does not answer
        List<InetSocketAddress> candidates = new ArrayList<>(resolution.endpoints());
        Collections.rotate(candidates, -Math.floorMod(next.getAndIncrement(), candidates.size()));
        StreamDialer.dialAndRelay(stream, candidates);
    }

    private void refuse(String node, StreamChannel stream, String target, CloudEndpoints.Refusal kind, String reason) {
        if (logged.size() >= MAX_REMEMBERED_REFUSALS) {
            logged.clear();
        }
        if (logged.putIfAbsent(kind + " " + target, Boolean.TRUE) == null) {
            LOG.info("refusing stream to {} from node {}: {} (further refusals of this kind are logged at debug)",
                    target, node, reason);
        } else {
            LOG.debug("refusing stream to {} from node {}: {}", target, node, reason);
        }
        stream.reject(reason);
    }
}
