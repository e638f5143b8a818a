package io.kedge.apiserver.tunnel;

import io.kedge.api.ApiException;
import io.kedge.apiserver.auth.UserInfo;
import io.kedge.apiserver.http.HttpExchange;
import io.kedge.apiserver.http.ProtocolSwitch;
import io.kedge.tunnel.StreamAcceptor;
import io.kedge.tunnel.TunnelProtocol;
import io.kedge.tunnel.TunnelSession;
import io.kedge.tunnel.TunnelSettings;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;

/**
 * {@code GET /apis/tunnel.kedge.io/v1alpha1/nodes/{name}/connect} with {@code Upgrade: kedge-tunnel}:
 * a node's agent registers its tunnel. Only the node itself may: its client certificate must name
 * {@code system:node:<name>} in group {@code system:nodes}.
 */
final class TunnelEndpoint {
    static final String NODE_USER_PREFIX = "system:node:";
    static final String NODES_GROUP = "system:nodes";

    private final TunnelRegistry registry;
    private final TunnelSettings settings;
    private final StreamAcceptor agentStreams;

    /** @param agentStreams serves the streams the agents open (service targets) */
    TunnelEndpoint(TunnelRegistry registry, TunnelSettings settings, StreamAcceptor agentStreams) {
        this.registry = registry;
        this.settings = settings;
        this.agentStreams = agentStreams;
    }

    void connect(HttpExchange ex) {
        String node = TunnelProtocol.nodeOfConnectPath(ex.path()).orElseThrow(() -> ApiException.notFound(
                "the server could not find the requested resource (" + ex.path() + ")"));
        try {
            TunnelProtocol.requireNodeName(node);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
        if (!ex.method().name().equals("GET")) {
            throw ApiException.methodNotAllowed("the tunnel endpoint takes GET with Upgrade: " + TunnelProtocol.UPGRADE);
        }
        UserInfo user = ex.user();
        if (!(NODE_USER_PREFIX + node).equals(user.name()) || !user.groups().contains(NODES_GROUP)) {
            throw ApiException.forbidden("nodes \"" + node + "\" is forbidden: User \"" + user.name()
                    + "\" cannot register a tunnel for node \"" + node + "\": only that node may, with a certificate for "
                    + NODE_USER_PREFIX + node + " in group " + NODES_GROUP);
        }
        if (!TunnelProtocol.UPGRADE.equalsIgnoreCase(ex.header(HttpHeaderNames.UPGRADE))
                || !ProtocolSwitch.upgradeRequested(ex)) {
            throw ApiException.badRequest("the tunnel endpoint needs Connection: Upgrade and Upgrade: " + TunnelProtocol.UPGRADE);
        }
        String version = ex.header(TunnelProtocol.VERSION_HEADER);
        if (!TunnelProtocol.VERSION.equals(version)) {
            throw ApiException.badRequest("this server speaks tunnel protocol version " + TunnelProtocol.VERSION
                    + "; the agent asked for " + (version == null ? "none" : version));
        }
        ProtocolSwitch.requireHttp1(ex, "the tunnel");
        HttpHeaders headers = new DefaultHttpHeaders()
                .set(HttpHeaderNames.CONNECTION, "Upgrade")
                .set(HttpHeaderNames.UPGRADE, TunnelProtocol.UPGRADE)
                .set(TunnelProtocol.VERSION_HEADER, TunnelProtocol.VERSION);
        ProtocolSwitch.switchProtocols(ex, headers, (ch, release) -> {
            TunnelSession session = TunnelProtocol.installServer(ch.pipeline(), node, agentStreams, settings);
            registry.register(node, session);
            release.run();
        });
    }
}
