package io.kedge.apiserver.http;

import io.kedge.api.ApiException;
import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http2.Http2StreamChannel;

/**
 * Answers an HTTP/1.1 upgrade with {@code 101} and hands the raw connection to other handlers: the
 * tunnel's frames, or a relay to a kubelet's stream. Bytes the HTTP decoder had already read are
 * held and passed on to the new handlers, so nothing sent right after the request is lost.
 */
public final class ProtocolSwitch {
    /** The HTTP handlers {@link ServerInitializer} puts on an HTTP/1.1 connection, last first. */
    private static final String[] REQUEST_HANDLERS = {"request", "aggregate", "body-timeout"};
    private static final String CODEC = "http1";

    private ProtocolSwitch() {}

    public static boolean upgradeRequested(HttpExchange ex) {
        String connection = ex.header(HttpHeaderNames.CONNECTION);
        return ex.header(HttpHeaderNames.UPGRADE) != null && connection != null
                && ex.headers().containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE, true);
    }

    /** Fails with a Status unless the exchange came over HTTP/1.1, the only protocol with upgrades. */
    public static void requireHttp1(HttpExchange ex, String what) {
        if (ex.channel() instanceof Http2StreamChannel || ex.channel().pipeline().get(CODEC) == null) {
            throw ApiException.badRequest(what + " needs an HTTP/1.1 upgrade request; this one came over HTTP/2");
        }
    }

    /** Adds the handlers that take over a switched connection. */
    @FunctionalInterface
    public interface Installer {
        /**
         * Called on the connection's event loop once the HTTP handlers are gone. The connection does not
         * read until {@code release} runs (on that event loop, now or later): it hands the bytes read so far
         * to the handlers added, and starts reading.
         */
        void install(Channel connection, Runnable release);
    }

    /**
     * Writes {@code 101 Switching Protocols} with the given headers, removes the HTTP handlers and
     * lets {@code installer} add the new ones on the connection's event loop.
     */
    public static void switchProtocols(HttpExchange ex, HttpHeaders headers, Installer installer) {
        requireHttp1(ex, "a protocol switch");
        Channel ch = ex.channel();
        ex.markAnswered(101);
        ch.eventLoop().execute(() -> {
            if (!ch.isActive()) {
                return; // the client left; whoever waits on the switch watches ch.closeFuture()
            }
            ChannelPipeline p = ch.pipeline();
            ch.config().setAutoRead(false);
            FullHttpResponse switching = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                    HttpResponseStatus.SWITCHING_PROTOCOLS);
            switching.headers().set(headers);
            ch.writeAndFlush(switching);
            for (String name : REQUEST_HANDLERS) {
                if (p.get(name) != null) {
                    p.remove(name);
                }
            }
            InboundHold hold = new InboundHold();
            p.addLast("switch-hold", hold);
            p.remove(CODEC);
            installer.install(ch, () -> {
                p.remove(hold);
                ch.config().setAutoRead(true);
            });
        });
    }
}
