package io.kedge.tunnel;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.net.SocketAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The multiplexer at the end of a tunnel connection: it turns frames into stream events and back,
 * opens streams on request and offers the peer's to a {@link StreamAcceptor}. All stream state is
 * touched only on the connection's event loop.
 */
public final class TunnelSession extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(TunnelSession.class);

    private final String peer;
    private final boolean server;
    private final StreamAcceptor acceptor;
    private final TunnelSettings settings;
    private final Map<Integer, StreamChannel> streams = new HashMap<>();
    private final Instant connectedAt = Instant.now();
    private int nextId;
    private int lastPeerId;
    private volatile int streamCount;
    private volatile ChannelHandlerContext ctx;
    private volatile String closeReason;

    /**
     * @param peer     who is at the other end (the node name), for messages
     * @param server   the server opens odd stream ids, the agent even ones
     */
    public TunnelSession(String peer, boolean server, StreamAcceptor acceptor, TunnelSettings settings) {
        this.peer = peer;
        this.server = server;
        this.acceptor = acceptor;
        this.settings = settings;
        this.nextId = server ? 1 : 2;
    }

    public String peer() {
        return peer;
    }

    public Instant connectedAt() {
        return connectedAt;
    }

    public TunnelSettings settings() {
        return settings;
    }

    public boolean isOpen() {
        ChannelHandlerContext c = ctx;
        return c != null && c.channel().isActive();
    }

    public SocketAddress remoteAddress() {
        return channel().remoteAddress();
    }

    public int streamCount() {
        return streamCount;
    }

    /** Why the connection ended, once it has; null while it is open. */
    public String closeReason() {
        return closeReason;
    }

    public ChannelFuture closeFuture() {
        return channel().closeFuture();
    }

    /** Sends GOAWAY with the reason, then closes the connection. */
    public void close(String reason) {
        Channel ch = channel();
        ch.eventLoop().execute(() -> {
            if (closeReason == null) {
                closeReason = reason;
            }
            if (ch.isActive()) {
                ctx.writeAndFlush(Frame.goAway(reason)).addListener(ChannelFutureListener.CLOSE);
            }
        });
    }

    /**
     * Opens a stream to {@code target} on the peer. The handler (typically a ChannelInitializer) is
     * added to the stream's pipeline before OPEN goes out; the future completes once the peer
     * answered OPENED, or fails with a {@link TunnelException} carrying the peer's reason.
     */
    public Future<StreamChannel> open(String target, ChannelHandler handler) {
        Channel ch = channel();
        Promise<StreamChannel> promise = ch.eventLoop().newPromise();
        ch.eventLoop().execute(() -> openNow(target, handler, promise));
        return promise;
    }

    private void openNow(String target, ChannelHandler handler, Promise<StreamChannel> promise) {
        if (!isOpen()) {
            promise.tryFailure(new TunnelException("the tunnel to " + peer + " is closed"
                    + (closeReason == null ? "" : ": " + closeReason)));
            return;
        }
        Frame open;
        int id = nextId;
        try {
            open = Frame.open(id, settings.streamWindow(), target);
        } catch (IllegalArgumentException e) {
            promise.tryFailure(e);
            return;
        }
        if (id < 0) {
            open.release();
            promise.tryFailure(new TunnelException("the tunnel to " + peer + " has used up its stream ids; it reconnects"));
            close("stream ids exhausted");
            return;
        }
        nextId += 2;
        StreamChannel stream = new StreamChannel(this, id, target, StreamChannel.State.OPENING, settings.streamWindow(), promise);
        stream.pipeline().addLast(handler);
        track(stream);
        channel().eventLoop().register(stream).addListener(r -> {
            if (!r.isSuccess()) {
                open.release();
                forget(stream);
                promise.tryFailure(r.cause());
                return;
            }
            send(open);
            flush();
            stream.eventLoop().schedule(() -> {
                if (!promise.isDone()) {
                    stream.reset("no answer to OPEN within " + settings.openTimeout().toSeconds() + "s");
                }
            }, settings.openTimeout().toMillis(), TimeUnit.MILLISECONDS);
        });
    }

    // --- frames in ------------------------------------------------------------------------------

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof Frame frame)) {
            ReferenceCountUtil.release(msg);
            throw new TunnelProtocolException("expected a frame, got " + msg.getClass().getSimpleName());
        }
        try {
            dispatch(frame);
        } finally {
            frame.release();
        }
    }

    private void dispatch(Frame frame) {
        int id = frame.streamId();
        switch (frame.type()) {
            case OPEN -> offered(id, frame.window(), frame.target());
            case GOAWAY -> {
                closeReason = "the peer went away: " + frame.reason();
                ctx.close();
            }
            case PING, PONG -> { } // the keepalive handler answers these before they get here
            default -> {
                StreamChannel s = streams.get(id);
                if (s == null) {
                    return; // crossed a CLOSE or RESET in flight
                }
                switch (frame.type()) {
                    case OPENED -> s.onOpened(frame.window());
                    case DATA -> s.onData(frame.content().retain());
                    case WINDOW_UPDATE -> s.onWindowUpdate(frame.window());
                    case CLOSE -> s.onPeerClose();
                    case RESET -> s.onPeerReset(frame.reason());
                    default -> throw new TunnelProtocolException("unexpected " + frame);
                }
            }
        }
    }

    private void offered(int id, int window, String target) {
        boolean peerParity = (id % 2 == 0) == server;
        if (!peerParity || id <= lastPeerId) {
            throw new TunnelProtocolException("OPEN with stream id " + id + ": the peer opens "
                    + (server ? "even" : "odd") + " ids, each larger than the last (" + lastPeerId + ")");
        }
        lastPeerId = id;
        StreamChannel stream = new StreamChannel(this, id, target, StreamChannel.State.OFFERED, settings.streamWindow(), null);
        stream.peerWindow(window);
        track(stream);
        channel().eventLoop().register(stream).addListener(r -> {
            if (!r.isSuccess()) {
                stream.reject("cannot register the stream: " + r.cause());
                return;
            }
            try {
                acceptor.offered(stream, target);
            } catch (RuntimeException e) {
                LOG.warn("accepting stream {} to {} failed", id, target, e);
                stream.reject("the acceptor failed: " + e.getMessage());
            }
        });
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable()) {
            for (StreamChannel s : new ArrayList<>(streams.values())) {
                s.resumeWrites();
            }
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (closeReason == null) {
            closeReason = "the tunnel connection to " + peer + " closed";
        }
        for (StreamChannel s : new ArrayList<>(streams.values())) {
            s.onConnectionLost(closeReason);
        }
        streams.clear();
        streamCount = 0;
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Throwable c = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
        String reason = c instanceof TunnelProtocolException ? "protocol error: " + c.getMessage()
                : c.getMessage() == null ? c.toString() : c.getMessage();
        if (closeReason == null) {
            closeReason = reason;
        }
        if (c instanceof TunnelProtocolException) {
            LOG.warn("tunnel to {}: {}", peer, reason);
        } else {
            LOG.debug("tunnel to {} failed: {}", peer, reason, c);
        }
        if (ctx.channel().isActive()) {
            ctx.writeAndFlush(Frame.goAway(reason)).addListener(ChannelFutureListener.CLOSE);
        } else {
            ctx.close();
        }
    }

    // --- frames out, for the streams -----------------------------------------------------------

    Channel channel() {
        ChannelHandlerContext c = ctx;
        if (c == null) {
            throw new IllegalStateException("the session is not installed on a connection yet");
        }
        return c.channel();
    }

    void send(Frame frame) {
        if (ctx.channel().isActive()) {
            ctx.write(frame, ctx.voidPromise());
        } else {
            frame.release();
        }
    }

    void flush() {
        ctx.flush();
    }

    boolean connectionWritable() {
        return ctx.channel().isWritable();
    }

    private void track(StreamChannel stream) {
        streams.put(stream.streamId(), stream);
        streamCount = streams.size();
    }

    void forget(StreamChannel stream) {
        streams.remove(stream.streamId(), stream);
        streamCount = streams.size();
    }

    @Override
    public String toString() {
        return "tunnel to " + peer + (isOpen() ? "" : " (closed)");
    }
}
