package io.kedge.apiserver.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.kedge.api.ApiException;
import io.kedge.api.Json;
import io.kedge.apiserver.auth.UserInfo;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/** One request and the means to answer it, whichever protocol carried it. */
public final class HttpExchange {
    private final Channel channel;
    private final HttpMethod method;
    private final String path;
    private final Map<String, List<String>> query;
    private final String rawQuery;
    private final HttpHeaders headers;
    private final byte[] body;
    private final boolean keepAlive;
    private final long startNanos = System.nanoTime();
    private final AtomicBoolean answered = new AtomicBoolean();
    private volatile UserInfo user;
    private volatile UserInfo impersonator;
    private volatile int status;
    private final RequestMetrics.Sample sample;

    HttpExchange(Channel channel, HttpMethod method, String uri, HttpHeaders headers, byte[] body, boolean keepAlive,
                 RequestMetrics.Sample sample) {
        this.channel = channel;
        this.method = method;
        QueryStringDecoder d = new QueryStringDecoder(uri);
        this.path = d.path();
        this.query = d.parameters();
        this.rawQuery = d.rawQuery();
        this.headers = headers;
        this.body = body;
        this.keepAlive = keepAlive;
        this.sample = sample;
    }

    public Channel channel() { return channel; }
    public HttpMethod method() { return method; }
    public String path() { return path; }
    public HttpHeaders headers() { return headers; }
    public byte[] body() { return body; }
    public UserInfo user() { return user; }
    void user(UserInfo u) { this.user = u; }

    /** Who authenticated, when the request acts as someone else ({@code kubectl --as}); else null. */
    public UserInfo impersonator() { return impersonator; }

    /** From here on the request is {@code as}'s; the authenticated user is kept for the audit log. */
    public void actAs(UserInfo as) {
        this.impersonator = this.user;
        this.user = as;
    }
    public RequestMetrics.Sample sample() { return sample; }

    /** The query string as it arrived, still encoded; empty when there is none. */
    public String rawQuery() { return rawQuery; }
    public boolean keepAlive() { return keepAlive; }

    public String param(String name) {
        List<String> v = query.get(name);
        return v == null || v.isEmpty() ? null : v.get(0);
    }

    public List<String> params(String name) {
        return query.getOrDefault(name, List.of());
    }

    public boolean flag(String name) {
        String v = param(name);
        return v != null && (v.equals("true") || v.equals("1"));
    }

    public String header(CharSequence name) {
        return headers.get(name);
    }

    public String contentType() {
        String ct = headers.get(HttpHeaderNames.CONTENT_TYPE);
        if (ct == null) {
            return "";
        }
        int semi = ct.indexOf(';');
        return (semi < 0 ? ct : ct.substring(0, semi)).trim().toLowerCase();
    }

    public void respondJson(int code, JsonNode node) {
        respond(code, "application/json", Json.bytes(node), Map.of());
    }

    public void respondError(ApiException e) {
        Map<String, String> extra = e.retryAfterSeconds() != null
                ? Map.of("Retry-After", Integer.toString(e.retryAfterSeconds())) : Map.of();
        respond(e.code(), "application/json", Json.bytes(e.toStatus()), extra);
    }

    public void respondText(int code, String contentType, String text) {
        respond(code, contentType, text.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    public void respond(int code, String contentType, byte[] bytes, Map<String, String> extraHeaders) {
        if (!answered.compareAndSet(false, true)) {
            return;
        }
        status = code;
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(code),
                Unpooled.wrappedBuffer(bytes));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        r.headers().set(HttpHeaderNames.CONTENT_LENGTH, bytes.length);
        r.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-cache, private");
        extraHeaders.forEach(r.headers()::set);
        if (keepAlive) {
            HttpUtil.setKeepAlive(r, true);
            channel.writeAndFlush(r);
        } else {
            channel.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
        }
        sample.finish(code);
    }

    /** Starts a chunked response whose body the caller writes as it goes. */
    public StreamingResponse startStream(String contentType) {
        if (!answered.compareAndSet(false, true)) {
            throw new IllegalStateException("response already started");
        }
        status = 200;
        HttpResponse r = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        r.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-cache, private");
        r.headers().set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        channel.writeAndFlush(r);
        sample.finish(200);
        return new StreamingResponse(channel);
    }

    /**
     * Starts a chunked response whose status and headers come from a proxied backend (a kubelet); the
     * caller writes {@code HttpContent} on {@link #channel()} and ends with a {@code LastHttpContent}.
     */
    public void startProxiedResponse(int code, HttpHeaders backendHeaders) {
        if (!answered.compareAndSet(false, true)) {
            throw new IllegalStateException("response already started");
        }
        status = code;
        HttpResponse r = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(code));
        r.headers().set(backendHeaders);
        for (CharSequence hopByHop : new CharSequence[]{HttpHeaderNames.CONNECTION, HttpHeaderNames.KEEP_ALIVE,
                HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderNames.CONTENT_LENGTH, HttpHeaderNames.UPGRADE,
                HttpHeaderNames.PROXY_AUTHENTICATE, HttpHeaderNames.TRAILER, HttpHeaderNames.TE}) {
            r.headers().remove(hopByHop);
        }
        r.headers().set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        if (!keepAlive) {
            r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        channel.writeAndFlush(r);
        sample.finish(code);
    }

    /** For protocol switches, where the response goes out by other means. */
    void markAnswered(int code) {
        if (answered.compareAndSet(false, true)) {
            status = code;
            sample.finish(code);
        }
    }

    public boolean answered() {
        return answered.get();
    }

    public int status() {
        return status;
    }

    public long startNanos() {
        return startNanos;
    }
}
