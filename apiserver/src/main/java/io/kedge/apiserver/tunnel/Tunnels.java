package io.kedge.apiserver.tunnel;

import io.kedge.apiserver.authz.Authorizer;
import io.kedge.apiserver.http.HttpExchange;
import io.kedge.apiserver.http.RequestInfo;
import io.kedge.apiserver.registry.GenericRegistry;
import io.kedge.apiserver.registry.ResourceType;
import io.kedge.apiserver.registry.ResourceTypes;
import io.kedge.apiserver.storage.CacheHub;
import io.kedge.pki.CertificateAuthority;
import io.kedge.tunnel.TunnelProtocol;
import io.kedge.tunnel.TunnelSettings;
import java.time.Clock;
import java.util.Optional;

/** The server's side of EdgeTunnel, as the router sees it: the connect endpoint and everything that goes through a tunnel. */
public final class Tunnels implements AutoCloseable {
    private final TunnelRegistry registry;
    private final TunnelEndpoint endpoint;
    private final PodStreams pods;
    private final NodeProxy nodes;
    private final ResourceMetrics metrics;

    public Tunnels(ResourceTypes types, GenericRegistry objects, CacheHub caches, CertificateAuthority ca, Clock clock,
                   TunnelSettings settings, Authorizer authorizer) {
        this.registry = new TunnelRegistry(clock);
        this.endpoint = new TunnelEndpoint(registry, settings, new ServiceStreams(CloudEndpoints.fromCaches(types, caches)));
        KubeletDialer dialer = new KubeletDialer(registry, new KubeletClientIdentity(ca, clock));
        ConnectAuthorizer connects = new ConnectAuthorizer(authorizer);
        this.pods = new PodStreams(objects, dialer, connects);
        ResourceType nodeType = types.find("", "v1", "nodes").orElseThrow();
        this.nodes = new NodeProxy(objects, nodeType, dialer, connects);
        this.metrics = new ResourceMetrics(objects, nodeType, types.find("", "v1", "pods").orElseThrow(), registry, dialer, clock);
    }

    public TunnelRegistry registry() {
        return registry;
    }

    /** Whether the path is the tunnel endpoint's; such requests go to {@link #connect}. */
    public static boolean isConnectPath(String path) {
        return TunnelProtocol.isTunnelPath(path);
    }

    public void connect(HttpExchange ex) {
        ex.sample().describe("connect", "tunnels");
        endpoint.connect(ex);
    }

    /** pods/log, pods/exec, pods/attach or pods/portforward. */
    public void podStream(HttpExchange ex, ResourceType pods, RequestInfo info, String verb) {
        this.pods.serve(ex, pods, info, verb);
    }

    /** The node and kubelet path of a nodes/proxy request, if the path is one. */
    public static Optional<String[]> nodeProxyPath(String path) {
        return NodeProxy.match(path);
    }

    public void nodeProxy(HttpExchange ex, String node, String kubeletPath) {
        ex.sample().describe(ex.method().name().toLowerCase(), "nodes/proxy");
        nodes.serve(ex, node, kubeletPath);
    }

    /** Whether a resource request belongs to {@code metrics.k8s.io}, which {@link #metrics} answers. */
    public static boolean isMetrics(RequestInfo info) {
        return ResourceMetrics.GROUP.equals(info.group());
    }

    /** get or list of metrics.k8s.io nodes or pods, from the nodes' summaries fetched through their tunnels. */
    public void metrics(HttpExchange ex, RequestInfo info, String verb) {
        metrics.serve(ex, info, verb);
    }

    @Override
    public void close() {
        registry.close();
    }
}
