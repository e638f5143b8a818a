package io.kedge.tunnel;

import io.netty.channel.ChannelPipeline;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The names both ends agree on, and the handlers that run a session on an upgraded connection. */
public final class TunnelProtocol {
    /** The value of {@code Upgrade} in the agent's request and the server's 101. */
    public static final String UPGRADE = "kedge-tunnel";
    public static final String VERSION_HEADER = "Kedge-Tunnel-Version";
    public static final String VERSION = "1";
    /** The stream target that reaches the node's kubelet API. */
    public static final String KUBELET = "kubelet";

    private static final String PREFIX = "/apis/tunnel.kedge.io/v1alpha1/nodes/";
    private static final Pattern CONNECT = Pattern.compile(Pattern.quote(PREFIX) + "([^/]+)/connect/?");
    /** A node name is a DNS subdomain, as Kubernetes names nodes. */
    private static final Pattern NODE_NAME = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

    private TunnelProtocol() {}

    public static String connectPath(String node) {
        requireNodeName(node);
        return PREFIX + node + "/connect";
    }

    /** Whether a request path is meant for the tunnel endpoint at all. */
    public static boolean isTunnelPath(String path) {
        return path.startsWith(PREFIX);
    }

    /** The node named by a connect path; empty when the path is not one. */
    public static Optional<String> nodeOfConnectPath(String path) {
        Matcher m = CONNECT.matcher(path);
        return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
    }

    /** The target that reaches port {@code port} of Service {@code namespace/name} through the server. */
    public static String serviceTarget(String namespace, String name, int port) {
        return new ServiceTarget(namespace, name, port).target();
    }

    /** The Service port a {@code service/...} target names; fails with what is wrong when it is malformed. */
    public static ServiceTarget parseServiceTarget(String target) {
        return ServiceTarget.parse(target);
    }

    public static void requireNodeName(String node) {
        if (node == null || node.length() > 253 || !NODE_NAME.matcher(node).matches()) {
            throw new IllegalArgumentException("\"" + node + "\" is not a valid node name: it must be a lower-case"
                    + " DNS subdomain (letters, digits, '-' and '.'), at most 253 characters");
        }
    }

    /** The server's end: frames, keepalive and a session that opens streams and accepts none. */
    public static TunnelSession installServer(ChannelPipeline pipeline, String node, TunnelSettings settings) {
        return installServer(pipeline, node, StreamAcceptor.REFUSE_ALL, settings);
    }

    /** The server's end, offering the streams the agent opens (service targets) to the acceptor. */
    public static TunnelSession installServer(ChannelPipeline pipeline, String node, StreamAcceptor acceptor,
                                              TunnelSettings settings) {
        return install(pipeline, new TunnelSession(node, true, acceptor, settings), settings);
    }

    /** The agent's end: frames, keepalive and a session that offers the server's streams to the acceptor. */
    public static TunnelSession installAgent(ChannelPipeline pipeline, String server, StreamAcceptor acceptor,
                                             TunnelSettings settings) {
        return install(pipeline, new TunnelSession(server, false, acceptor, settings), settings);
    }

    private static TunnelSession install(ChannelPipeline pipeline, TunnelSession session, TunnelSettings settings) {
        pipeline.addLast("tunnel-frames", new FrameCodec());
        pipeline.addLast("tunnel-keepalive", new Keepalive(settings));
        pipeline.addLast("tunnel-session", session);
        return session;
    }
}
