package io.kedge.kubelet.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.ssl.SslHandler;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes the kubelet API. Every path but {@code /healthz} needs a client certificate from the
 * cluster's CA (the TLS layer has already checked the chain): the API server and cluster admins
 * hold one, anonymous callers do not.
 */
@ChannelHandler.Sharable
final class KubeletApiHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Logger LOG = LoggerFactory.getLogger(KubeletApiHandler.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final NodeContainers containers;
    private final ExecutorService logThreads;
    private final Clock clock;

    KubeletApiHandler(NodeContainers containers, ExecutorService logThreads, Clock clock) {
        this.containers = containers;
        this.logThreads = logThreads;
        this.clock = clock;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        QueryStringDecoder uri = new QueryStringDecoder(request.uri());
        List<String> path = Arrays.stream(uri.path().split("/")).filter(s -> !s.isEmpty()).toList();
        try {
            if (path.equals(List.of("healthz"))) {
                KubeletResponses.text(ctx, HttpResponseStatus.OK, "ok");
                return;
            }
            if (!authenticated(ctx)) {
                KubeletResponses.error(ctx, HttpResponseStatus.UNAUTHORIZED,
                        "Unauthorized: the kubelet API needs a client certificate issued by the cluster's CA");
                return;
            }
            route(ctx, request, path, uri.parameters());
        } catch (KubeletApiException e) {
            KubeletResponses.error(ctx, HttpResponseStatus.valueOf(e.status()), e.getMessage());
        } catch (RuntimeException e) {
            LOG.warn("kubelet API request {} failed", request.uri(), e);
            KubeletResponses.error(ctx, HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal error: " + e);
        }
    }

    private void route(ChannelHandlerContext ctx, FullHttpRequest request, List<String> path,
                       Map<String, List<String>> query) throws KubeletApiException {
        String root = path.isEmpty() ? "" : path.get(0);
        switch (root) {
            case "containerLogs" -> {
                requireMethod(request, HttpMethod.GET);
                requireSize(path, 4, 4, "/containerLogs/{namespace}/{pod}/{container}");
                LogOptions options = LogOptions.fromQuery(query, clock.instant());
                ContainerLog log = containers.log(path.get(1), path.get(2), path.get(3), options.previous());
                streamLog(ctx, log, options);
            }
            case "exec" -> {
                requireSize(path, 4, 5, "/exec/{namespace}/{pod}[/{uid}]/{container}");
                requireUpgrade(request);
                List<String> command = query.getOrDefault("command", List.of());
                if (command.isEmpty()) {
                    throw KubeletApiException.badRequest("exec needs at least one command parameter");
                }
                URI target = containers.exec(path.get(1), path.get(2), path.get(path.size() - 1), command, streams(query));
                StreamProxy.proxy(ctx, request, target);
            }
            case "attach" -> {
                requireSize(path, 4, 5, "/attach/{namespace}/{pod}[/{uid}]/{container}");
                requireUpgrade(request);
                URI target = containers.attach(path.get(1), path.get(2), path.get(path.size() - 1), streams(query));
                StreamProxy.proxy(ctx, request, target);
            }
            case "portForward" -> {
                requireSize(path, 3, 4, "/portForward/{namespace}/{pod}[/{uid}]");
                requireUpgrade(request);
                // SPDY names its ports per stream; WebSocket port-forward has them from the query, and the
                // runtime's streaming server takes them from the CRI request
                StreamProxy.proxy(ctx, request, containers.portForward(path.get(1), path.get(2), ports(query)));
            }
            case "stats" -> {
                requireMethod(request, HttpMethod.GET);
                if (!path.equals(List.of("stats", "summary"))) {
                    throw KubeletApiException.notFound("no such stats endpoint: /" + String.join("/", path));
                }
                try {
                    KubeletResponses.json(ctx, JSON.writeValueAsBytes(containers.statsSummary()));
                } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                    throw new KubeletApiException(500, "cannot encode the stats summary: " + e.getOriginalMessage());
                }
            }
            case "metrics" -> {
                requireMethod(request, HttpMethod.GET);
                KubeletResponses.prometheus(ctx, containers.metrics());
            }
            default -> throw KubeletApiException.notFound("no such kubelet API path: /" + String.join("/", path));
        }
    }

    private static List<Integer> ports(Map<String, List<String>> query) throws KubeletApiException {
        List<Integer> ports = new java.util.ArrayList<>();
        for (String value : query.getOrDefault("port", List.of())) {
            for (String one : value.split(",")) {
                try {
                    int port = Integer.parseInt(one.trim());
                    if (port < 1 || port > 65535) {
                        throw new NumberFormatException();
                    }
                    ports.add(port);
                } catch (NumberFormatException e) {
                    throw KubeletApiException.badRequest("port \"" + one + "\" is not a TCP port (1 to 65535)");
                }
            }
        }
        return ports;
    }

    private static StreamOptions streams(Map<String, List<String>> query) {
        return new StreamOptions(
                LogOptions.flag(query, "stdin") || LogOptions.flag(query, "input"),
                LogOptions.flag(query, "stdout") || LogOptions.flag(query, "output"),
                LogOptions.flag(query, "stderr") || LogOptions.flag(query, "error"),
                LogOptions.flag(query, "tty"));
    }

    private void streamLog(ChannelHandlerContext ctx, ContainerLog log, LogOptions options) {
        HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        head.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.TEXT_PLAIN + "; charset=utf-8");
        HttpUtil.setTransferEncodingChunked(head, true);
        ctx.writeAndFlush(head);
        logThreads.execute(() -> {
            ContainerLogReader reader = new ContainerLogReader(log, options);
            try {
                reader.copyTo(text -> {
                    if (!ctx.channel().isActive()) {
                        return false;
                    }
                    if (text.isEmpty()) {
                        return true;
                    }
                    ChannelFuture written = ctx.writeAndFlush(
                            new DefaultHttpContent(Unpooled.copiedBuffer(text, StandardCharsets.UTF_8)));
                    if (!ctx.channel().isWritable()) {
                        written.awaitUninterruptibly();
                    }
                    return ctx.channel().isActive();
                });
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (java.io.IOException | RuntimeException e) {
                LOG.warn("reading the log {} failed", log.file(), e);
            }
            ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT).addListener(ChannelFutureListener.CLOSE);
        });
    }

    private static boolean authenticated(ChannelHandlerContext ctx) {
        SslHandler tls = ctx.pipeline().get(SslHandler.class);
        if (tls == null) {
            return false;
        }
        try {
            return tls.engine().getSession().getPeerCertificates().length > 0;
        } catch (SSLPeerUnverifiedException none) {
            return false;
        }
    }

    private static void requireMethod(FullHttpRequest request, HttpMethod method) throws KubeletApiException {
        if (!request.method().equals(method)) {
            throw new KubeletApiException(405, "method " + request.method() + " is not allowed here; use " + method);
        }
    }

    private static void requireUpgrade(FullHttpRequest request) throws KubeletApiException {
        if (!request.headers().containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE, true)) {
            throw KubeletApiException.badRequest("Upgrade request required: use SPDY/3.1 or a WebSocket stream protocol");
        }
    }

    private static void requireSize(List<String> path, int min, int max, String shape) throws KubeletApiException {
        if (path.size() < min || path.size() > max) {
            throw KubeletApiException.notFound("expected " + shape + ", got /" + String.join("/", path));
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("kubelet API connection failed", cause);
        ctx.close();
    }
}
