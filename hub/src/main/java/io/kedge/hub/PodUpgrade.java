package io.kedge.hub;

import io.kedge.api.ApiException;
import io.kedge.tunnel.Relay;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.ReadTimeoutException;
import io.netty.handler.timeout.ReadTimeoutHandler;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A pod's upgraded request (exec, attach, port-forward over SPDY or a WebSocket) sent on to the cloud
 * on a connection of its own, with the pod's token. Once the cloud switches protocols the hub copies
 * bytes both ways without reading them; any other answer goes back to the pod as it came.
 */
final class PodUpgrade {
    private static final Logger LOG = LoggerFactory.getLogger(PodUpgrade.class);
    private static final int MAX_REFUSAL_BYTES = 1024 * 1024;
    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(30);
    /** Hop-by-hop headers of the pod's connection; the upgrade's own ones are set again for the cloud's. */
    private static final Set<String> NOT_FORWARDED = Set.of("connection", "keep-alive", "proxy-connection", "transfer-encoding",
            "te", "trailer", "http2-settings", "host", "content-length", "expect");

    private final Supplier<List<URI>> servers;
    private final SslContext tls;
    private final Duration connectTimeout;

    /** @param servers the cloud servers in the order to try them, the one the hub uses now first */
    PodUpgrade(Supplier<List<URI>> servers, SslContext tls, Duration connectTimeout) {
        this.servers = servers;
        this.tls = tls;
        this.connectTimeout = connectTimeout;
    }

    /**
     * Opens the way on the first server that takes a TLS connection. The future fails with
     * {@link CloudUnreachableException} when none did (the pod is then not answered yet); otherwise
     * the pod has its answer or its relayed connection.
     */
    CompletableFuture<Void> relay(HubRequest request, Exchange exchange) {
        CompletableFuture<Void> connected = new CompletableFuture<>();
        attempt(request, exchange, servers.get().iterator(), null, connected);
        return connected;
    }

    private void attempt(HubRequest request, Exchange exchange, Iterator<URI> order, CloudUnreachableException last,
                         CompletableFuture<Void> connected) {
        if (!order.hasNext()) {
            connected.completeExceptionally(last);
            return;
        }
        URI server = order.next();
        String host = server.getHost();
        int port = server.getPort() < 0 ? 443 : server.getPort();
        Channel pod = exchange.channel();
        SslHandler[] handshake = new SslHandler[1];
        Answer answer = new Answer(request, exchange);
        // the pod's event loop: the switch then changes both pipelines without racing either side's reads
        new Bootstrap().group(pod.eventLoop()).channel(NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) connectTimeout.toMillis())
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        handshake[0] = verifyingHost(tls.newHandler(ch.alloc(), host, port));
                        ch.pipeline().addLast("tls", handshake[0]);
                        ch.pipeline().addLast("http", new HttpClientCodec());
                        ch.pipeline().addLast("aggregate", new HttpObjectAggregator(MAX_REFUSAL_BYTES));
                        ch.pipeline().addLast("timeout", new ReadTimeoutHandler(ANSWER_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));
                        ch.pipeline().addLast("answer", answer);
                    }
                })
                .connect(host, port).addListener((ChannelFutureListener) f -> {
                    if (!f.isSuccess()) {
                        attempt(request, exchange, order, unreachable(server, f.cause()), connected);
                        return;
                    }
                    handshake[0].handshakeFuture().addListener(h -> {
                        if (!h.isSuccess()) {
                            f.channel().close();
                            attempt(request, exchange, order, unreachable(server, h.cause()), connected);
                            return;
                        }
                        connected.complete(null);
                        answer.sent = true;
                        f.channel().writeAndFlush(upstream(request, host, port));
                    });
                });
    }

    private static CloudUnreachableException unreachable(URI server, Throwable cause) {
        return new CloudUnreachableException("cloud server " + server + ": " + cause, true, cause);
    }

    private static SslHandler verifyingHost(SslHandler handler) {
        SSLEngine engine = handler.engine();
        SSLParameters params = engine.getSSLParameters();
        params.setEndpointIdentificationAlgorithm("HTTPS");
        engine.setSSLParameters(params);
        return handler;
    }

    private static FullHttpRequest upstream(HubRequest request, String host, int port) {
        FullHttpRequest out = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.valueOf(request.method()),
                request.uri(), Unpooled.wrappedBuffer(request.body()));
        for (Map.Entry<String, List<String>> h : request.headers().entrySet()) {
            if (!NOT_FORWARDED.contains(h.getKey().toLowerCase(Locale.ROOT))) {
                out.headers().add(h.getKey(), h.getValue());
            }
        }
        out.headers().set(HttpHeaderNames.HOST, host + ":" + port)
                .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, request.body().length);
        return out;
    }

    /** The cloud's answer to the upgrade: on a 101 both connections become one byte pipe. */
    private static final class Answer extends SimpleChannelInboundHandler<FullHttpResponse> {
        private final HubRequest request;
        private final Exchange exchange;
        /** Until the request is sent, a failure is the connection's, and the next server is tried instead. */
        private boolean sent;
        private boolean done;

        Answer(HubRequest request, Exchange exchange) {
            this.request = request;
            this.exchange = exchange;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse response) {
            done = true;
            Channel cloud = ctx.channel();
            if (response.status().code() != HttpResponseStatus.SWITCHING_PROTOCOLS.code()) {
                exchange.respond(response.status().code(), headers(response), ByteBufUtil.getBytes(response.content()));
                cloud.close();
                return;
            }
            Channel pod = exchange.channel();
            FullHttpResponse switching = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.SWITCHING_PROTOCOLS);
            switching.headers().set(response.headers());
            // encoded now, on this loop, by the pod's HTTP codec, which goes next
            pod.writeAndFlush(switching);
            Relay.attach(pod, cloud);
            dropHttp(pod.pipeline());
            Relay.attach(cloud, pod);
            ChannelPipeline p = cloud.pipeline();
            p.remove("timeout");
            p.remove(this);
            p.remove("aggregate");
            p.remove("http"); // what the cloud sent after its 101 goes on to the relay
            LOG.debug("{} {} for a pod: the cloud switched to {}", request.method(), path(), response.headers().get("Upgrade"));
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (sent && !done) {
                done = true;
                exchange.error(ApiException.of(502, "BadGateway", "the cloud closed the connection before it answered "
                        + request.method() + " " + path()));
            }
            ctx.fireChannelInactive();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (sent && !done) {
                done = true;
                exchange.error(cause instanceof ReadTimeoutException
                        ? ApiException.of(504, "Timeout", "the cloud did not answer " + request.method() + " " + path() + " in "
                                + ANSWER_TIMEOUT.toSeconds() + " s")
                        : ApiException.of(502, "BadGateway", "the cloud's answer to " + request.method() + " " + path()
                                + " failed: " + cause));
            }
            ctx.close();
        }

        private String path() {
            int q = request.uri().indexOf('?');
            return q < 0 ? request.uri() : request.uri().substring(0, q);
        }
    }

    /** Leaves TLS and the relay on the pod's connection; the HTTP handlers go, last first, so that bytes they hold reach the relay. */
    private static void dropHttp(ChannelPipeline pipeline) {
        List<String> names = new ArrayList<>(pipeline.names());
        Collections.reverse(names);
        for (String name : names) {
            if (!name.equals("relay") && pipeline.get(name) != null && !(pipeline.get(name) instanceof SslHandler)) {
                pipeline.remove(name);
            }
        }
    }

    private static Map<String, List<String>> headers(FullHttpResponse response) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (Map.Entry<String, String> h : response.headers()) {
            out.computeIfAbsent(h.getKey(), k -> new ArrayList<>()).add(h.getValue());
        }
        return out;
    }
}
