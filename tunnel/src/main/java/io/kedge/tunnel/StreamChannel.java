package io.kedge.tunnel;

import io.netty.buffer.ByteBuf;
import io.netty.channel.AbstractChannel;
import io.netty.channel.ChannelConfig;
import io.netty.channel.ChannelMetadata;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.channel.DefaultChannelConfig;
import io.netty.channel.EventLoop;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Promise;
import java.net.SocketAddress;
import java.util.ArrayDeque;

/**
 * One stream of a tunnel, as a Netty channel: handlers read and write {@link ByteBuf}s on it as on
 * a socket, and TLS or HTTP run over it unchanged. It lives on its connection's event loop. Writes
 * go out only as far as the peer's credit reaches; the rest waits in the outbound buffer, which
 * makes the channel unwritable, so a relay stops reading its source. Incoming data is handed on
 * only when the pipeline reads (auto-read or {@code read()}), and each handed-on byte returns credit.
 */
public final class StreamChannel extends AbstractChannel {
    private static final ChannelMetadata METADATA = new ChannelMetadata(false);

    enum State { OPENING, OFFERED, OPEN, CLOSED }

    private final TunnelSession session;
    private final int id;
    private final String target;
    private final ChannelConfig config = new DefaultChannelConfig(this);
    private final FlowControl flow;
    private final ArrayDeque<ByteBuf> inbound = new ArrayDeque<>();
    private final Promise<StreamChannel> opening;
    private final SocketAddress local;
    private final SocketAddress remote;
    private State state;
    private boolean readPending;
    private boolean delivering;
    private boolean peerEnded;
    private boolean peerClosed;
    private String localResetReason;
    private volatile String endReason;

    StreamChannel(TunnelSession session, int id, String target, State state, int receiveWindow,
                  Promise<StreamChannel> opening) {
        super(session.channel());
        this.session = session;
        this.id = id;
        this.target = target;
        this.state = state;
        this.flow = new FlowControl(receiveWindow);
        this.opening = opening;
        this.local = new StreamAddress("tunnel:" + session.peer() + "#" + id);
        this.remote = new StreamAddress("tunnel:" + session.peer() + "/" + target);
    }

    public int streamId() {
        return id;
    }

    public String target() {
        return target;
    }

    public TunnelSession session() {
        return session;
    }

    /** Why the stream ended, when the peer reset it or its connection was lost; null otherwise. */
    public String endReason() {
        return endReason;
    }

    /** The acceptor's yes to an offered stream: OPENED goes to the peer and the channel becomes active. */
    public void accept() {
        eventLoop().execute(() -> {
            if (state != State.OFFERED) {
                return;
            }
            state = State.OPEN;
            session.send(Frame.opened(id, flow.receiveWindow()));
            session.flush();
            pipeline().fireChannelActive();
        });
    }

    /** The acceptor's no: the opener gets RESET with this reason. */
    public void reject(String reason) {
        reset(reason);
    }

    /** Ends the stream at once, telling the peer why. */
    public void reset(String reason) {
        eventLoop().execute(() -> {
            if (state != State.CLOSED && !peerEnded) {
                localResetReason = reason == null ? "" : reason;
            }
            unsafe().close(voidPromise());
        });
    }

    // --- from the session, on the event loop ------------------------------------------------

    void peerWindow(int window) {
        flow.peerWindow(window);
    }

    void onOpened(int window) {
        if (state != State.OPENING) {
            return;
        }
        flow.peerWindow(window);
        state = State.OPEN;
        pipeline().fireChannelActive();
        opening.trySuccess(this);
    }

    void onData(ByteBuf data) {
        if (state != State.OPEN || peerClosed) {
            data.release();
            return;
        }
        int n = data.readableBytes();
        if (!flow.received(n)) {
            data.release();
            localResetReason = "flow control window exceeded: " + n + " bytes beyond the credit granted";
            endReason = localResetReason;
            unsafe().close(voidPromise());
            return;
        }
        inbound.add(data);
        if (readPending && !delivering) {
            deliver();
        }
    }

    void onWindowUpdate(int increment) {
        flow.grant(increment);
        resumeWrites();
    }

    void onPeerClose() {
        peerClosed = true;
        peerEnded = true;
        session.forget(this);
        if (state == State.OPEN && !inbound.isEmpty()) {
            return; // closes once the pipeline has read what is queued
        }
        unsafe().close(voidPromise());
    }

    void onPeerReset(String reason) {
        peerEnded = true;
        endReason = reason.isEmpty() ? "reset by the peer" : reason;
        session.forget(this);
        unsafe().close(voidPromise());
    }

    void onConnectionLost(String reason) {
        peerEnded = true;
        if (endReason == null) {
            endReason = reason;
        }
        unsafe().close(voidPromise());
    }

    /** After credit came back or the connection drained: send what waits in the outbound buffer. */
    void resumeWrites() {
        ChannelOutboundBuffer out = unsafe().outboundBuffer();
        if (state == State.OPEN && out != null && !out.isEmpty()) {
            unsafe().flush();
        }
    }

    // --- channel plumbing ---------------------------------------------------------------------

    private void deliver() {
        delivering = true;
        try {
            ChannelPipeline p = pipeline();
            while (readPending && !inbound.isEmpty() && state == State.OPEN) {
                readPending = false;
                int taken = 0;
                ByteBuf b;
                while ((b = inbound.poll()) != null) {
                    taken += b.readableBytes();
                    p.fireChannelRead(b);
                }
                int update = flow.consumed(taken);
                if (update > 0 && !peerEnded) {
                    session.send(Frame.windowUpdate(id, update));
                    session.flush();
                }
                p.fireChannelReadComplete();
            }
        } finally {
            delivering = false;
        }
        if (peerClosed && inbound.isEmpty() && isOpen()) {
            unsafe().close(voidPromise());
        }
    }

    @Override
    protected void doBeginRead() {
        if (state != State.OPEN) {
            return;
        }
        readPending = true;
        if (!delivering) {
            deliver();
        }
    }

    @Override
    protected void doWrite(ChannelOutboundBuffer in) {
        // Flushing the connection may drain it at once; its writability event then finds this stream
        // still inside its flush and cannot resume it, so the stream goes on writing here instead.
        while (writeWithinCredit(in)) {
            session.flush();
        }
    }

    /** Sends DATA while there is credit and the connection takes more; whether anything was sent. */
    private boolean writeWithinCredit(ChannelOutboundBuffer in) {
        boolean wrote = false;
        for (;;) {
            Object msg = in.current();
            if (msg == null) {
                break;
            }
            if (!(msg instanceof ByteBuf buf)) {
                in.remove(new UnsupportedOperationException("a tunnel stream carries ByteBufs, not "
                        + msg.getClass().getSimpleName()));
                continue;
            }
            if (!buf.isReadable()) {
                in.remove();
                continue;
            }
            int n = flow.sendable(Math.min(buf.readableBytes(), Frame.MAX_PAYLOAD));
            if (n <= 0 || !session.connectionWritable()) {
                break; // resumed by a WINDOW_UPDATE or by the connection draining
            }
            flow.spend(n);
            session.send(Frame.data(id, buf.retainedSlice(buf.readerIndex(), n)));
            in.removeBytes(n);
            wrote = true;
        }
        return wrote;
    }

    @Override
    protected Object filterOutboundMessage(Object msg) {
        if (msg instanceof ByteBuf) {
            return msg;
        }
        ReferenceCountUtil.release(msg);
        throw new UnsupportedOperationException("a tunnel stream carries ByteBufs, not " + msg.getClass().getSimpleName());
    }

    @Override
    protected void doClose() {
        State was = state;
        state = State.CLOSED;
        ByteBuf b;
        while ((b = inbound.poll()) != null) {
            b.release();
        }
        if (!peerEnded) {
            if (localResetReason != null) {
                session.send(Frame.reset(id, localResetReason));
            } else if (was == State.OPEN) {
                session.send(Frame.close(id));
            } else if (was == State.OPENING) {
                session.send(Frame.reset(id, "the opener gave up"));
            } else if (was == State.OFFERED) {
                session.send(Frame.reset(id, "refused by the acceptor"));
            }
            session.flush();
        }
        session.forget(this);
        if (opening != null) {
            opening.tryFailure(new TunnelException(endReason != null ? endReason
                    : localResetReason != null ? localResetReason : "the stream closed before it opened"));
        }
    }

    @Override
    protected void doDisconnect() {
        doClose();
    }

    @Override
    protected void doBind(SocketAddress localAddress) {
        throw new UnsupportedOperationException("a tunnel stream cannot be bound");
    }

    @Override
    protected void doRegister() {
        // nothing to register: the connection's channel does the I/O
    }

    @Override
    protected boolean isCompatible(EventLoop loop) {
        return true;
    }

    @Override
    protected AbstractUnsafe newUnsafe() {
        return new AbstractUnsafe() {
            @Override
            public void connect(SocketAddress remoteAddress, SocketAddress localAddress, ChannelPromise promise) {
                promise.setFailure(new UnsupportedOperationException("streams are opened with TunnelSession.open"));
            }
        };
    }

    @Override
    protected SocketAddress localAddress0() {
        return local;
    }

    @Override
    protected SocketAddress remoteAddress0() {
        return remote;
    }

    @Override
    public ChannelConfig config() {
        return config;
    }

    @Override
    public boolean isOpen() {
        return state != State.CLOSED;
    }

    @Override
    public boolean isActive() {
        return state == State.OPEN;
    }

    @Override
    public ChannelMetadata metadata() {
        return METADATA;
    }

    /** Names a stream in logs and in {@code localAddress()}/{@code remoteAddress()}. */
    private static final class StreamAddress extends SocketAddress {
        private final String name;

        StreamAddress(String name) {
            this.name = name;
        }

        @Override
        public String toString() {
            return name;
        }
    }
}
