package io.kedge.apiserver.tunnel;

import io.kedge.api.ApiException;
import io.kedge.apiserver.http.HttpExchange;
import io.kedge.apiserver.http.ProtocolSwitch;
import io.kedge.tunnel.StreamChannel;
import io.kedge.tunnel.TunnelProtocol;
import io.kedge.tunnel.TunnelSession;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.ssl.SslContext;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Reaches a node's kubelet API the only way the server can: a stream through the node's tunnel,
 * TLS with the server's kubelet-client certificate inside it, then one HTTP/1.1 request.
 */
public final class KubeletDialer {
    /** Headers that belong to one hop, or carry the client's own credentials, and never go to a kubelet. */
    private static final Set<String> NOT_FORWARDED = Set.of("host", "authorization", "connection", "upgrade",
            "keep-alive", "proxy-authorization", "proxy-connection", "te", "trailer", "transfer-encoding",
            "content-length", "expect", "impersonate-user", "impersonate-group", "impersonate-uid");

    private final TunnelRegistry tunnels;
    private final KubeletClientIdentity identity;

    public KubeletDialer(TunnelRegistry tunnels, KubeletClientIdentity identity) {
        this.tunnels = tunnels;
        this.identity = identity;
    }

    /**
     * Sends the exchange's request to {@code pathAndQuery} on the node's kubelet and answers the
     * exchange with what comes back. Returns at once; the answer follows asynchronously.
     */
    void forward(HttpExchange ex, String node, String pathAndQuery, KubeletExchange.Errors errors) {
        TunnelSession session = tunnels.session(node).orElseThrow(() -> noTunnel(node));
        boolean upgrade = ProtocolSwitch.upgradeRequested(ex);
        if (upgrade) {
            ProtocolSwitch.requireHttp1(ex, "a streaming request (exec, attach, port-forward)");
        }
        FullHttpRequest request = request(ex, node, pathAndQuery, upgrade);
        KubeletExchange exchange = new KubeletExchange(ex, request, node, errors, upgrade);
        SslContext tls = identity.tls();
        session.open(TunnelProtocol.KUBELET, new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                ch.pipeline().addLast("tls", tls.newHandler(ch.alloc()));
                ch.pipeline().addLast("http", new HttpClientCodec());
                ch.pipeline().addLast("kubelet-exchange", exchange);
            }
        }).addListener(f -> {
            if (!f.isSuccess()) {
                if (request.refCnt() > 0) {
                    request.release();
                }
                ex.respondError(ApiException.of(503, "ServiceUnavailable", "cannot reach the kubelet of node " + node
                        + " through its tunnel: " + f.cause().getMessage()));
                return;
            }
            StreamChannel stream = (StreamChannel) f.getNow();
            // the client leaving ends the stream; the listener goes with the stream, not the connection
            ChannelFutureListener clientGone = c -> stream.close();
            ex.channel().closeFuture().addListener(clientGone);
            stream.closeFuture().addListener(c -> ex.channel().closeFuture().removeListener(clientGone));
        });
    }

    /**
     * GETs {@code path} from the node's kubelet for the server's own use (metrics): the body of a 200,
     * or a failure saying why not. At most {@code maxBytes} of body are accepted.
     */
    CompletableFuture<byte[]> fetch(String node, String path, int maxBytes) {
        CompletableFuture<byte[]> result = new CompletableFuture<>();
        Optional<TunnelSession> session = tunnels.session(node);
        if (session.isEmpty()) {
            result.completeExceptionally(noTunnel(node));
            return result;
        }
        FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, path);
        request.headers().set(HttpHeaderNames.HOST, node).set(HttpHeaderNames.ACCEPT, "application/json");
        SslContext tls = identity.tls();
        session.get().open(TunnelProtocol.KUBELET, new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                ch.pipeline().addLast("tls", tls.newHandler(ch.alloc()));
                ch.pipeline().addLast("http", new HttpClientCodec());
                ch.pipeline().addLast("aggregate", new HttpObjectAggregator(maxBytes));
                ch.pipeline().addLast("answer", new SimpleChannelInboundHandler<FullHttpResponse>() {
                    @Override
                    public void channelActive(ChannelHandlerContext ctx) {
                        ctx.writeAndFlush(request);
                        ctx.fireChannelActive();
                    }

                    @Override
                    protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse response) {
                        if (response.status().code() == 200) {
                            result.complete(ByteBufUtil.getBytes(response.content()));
                        } else {
                            result.completeExceptionally(new IllegalStateException("the kubelet of node " + node
                                    + " answered " + response.status() + " to GET " + path));
                        }
                        ctx.close();
                    }

                    @Override
                    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                        result.completeExceptionally(cause);
                        ctx.close();
                    }

                    @Override
                    public void channelInactive(ChannelHandlerContext ctx) {
                        result.completeExceptionally(new IllegalStateException("the stream to the kubelet of node "
                                + node + " closed before it answered GET " + path));
                        ctx.fireChannelInactive();
                    }
                });
            }
        }).addListener(f -> {
            if (!f.isSuccess()) {
                if (request.refCnt() > 0) {
                    request.release();
                }
                result.completeExceptionally(f.cause());
            }
        });
        return result;
    }

    /** No tunnel: a prompt 503 naming the node and when it was last seen, never a wait. */
    ApiException noTunnel(String node) {
        String when = tunnels.disconnectedAt(node)
                .map(t -> "its tunnel to this server disconnected at " + t)
                .orElse("it has not connected a tunnel to this server since the server started");
        // no Retry-After: clients would retry silently instead of telling the user
        return ApiException.of(503, "ServiceUnavailable", "node \"" + node + "\" is not reachable: " + when);
    }

    private static FullHttpRequest request(HttpExchange ex, String node, String pathAndQuery, boolean upgrade) {
        byte[] body = ex.body();
        FullHttpRequest r = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, ex.method(), pathAndQuery,
                Unpooled.wrappedBuffer(body));
        HttpHeaders h = r.headers();
        for (Map.Entry<String, String> e : ex.headers()) {
            String name = e.getKey().toLowerCase(Locale.ROOT);
            if (!NOT_FORWARDED.contains(name) && !name.startsWith(":") && !name.startsWith("x-http2-")) {
                h.add(e.getKey(), e.getValue());
            }
        }
        h.set(HttpHeaderNames.HOST, node);
        if (upgrade) {
            h.set(HttpHeaderNames.CONNECTION, "Upgrade");
            h.set(HttpHeaderNames.UPGRADE, ex.header(HttpHeaderNames.UPGRADE));
        }
        if (body.length > 0 || !ex.method().name().equals("GET")) {
            h.setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
        }
        return r;
    }
}
