package io.kedge.tunnel;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.DefaultByteBufHolder;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;

/**
 * One frame of the tunnel protocol (see PROTOCOL.md): a type, a stream id and a payload. The payload
 * is reference-counted; whoever ends up holding the frame releases it.
 */
public final class Frame extends DefaultByteBufHolder {
    /** Largest payload of any frame, and so of one DATA frame. */
    public static final int MAX_PAYLOAD = 64 * 1024;
    static final int HEADER_BYTES = 9;
    static final int MAX_TARGET_BYTES = 255;
    /** Reasons are for people; a longer one is cut, so that a frame never grows past its limit. */
    static final int MAX_REASON_BYTES = 1024;

    private final FrameType type;
    private final int streamId;

    Frame(FrameType type, int streamId, ByteBuf payload) {
        super(payload);
        this.type = type;
        this.streamId = streamId;
    }

    public FrameType type() {
        return type;
    }

    public int streamId() {
        return streamId;
    }

    public static Frame open(int streamId, int window, String target) {
        byte[] name = target.getBytes(StandardCharsets.UTF_8);
        if (name.length == 0 || name.length > MAX_TARGET_BYTES) {
            throw new IllegalArgumentException("a target name must be 1 to " + MAX_TARGET_BYTES
                    + " bytes of UTF-8, got " + name.length + " bytes");
        }
        return new Frame(FrameType.OPEN, streamId, Unpooled.buffer(4 + name.length).writeInt(window).writeBytes(name));
    }

    public static Frame opened(int streamId, int window) {
        return new Frame(FrameType.OPENED, streamId, Unpooled.buffer(4).writeInt(window));
    }

    /** Takes ownership of {@code data}. */
    public static Frame data(int streamId, ByteBuf data) {
        return new Frame(FrameType.DATA, streamId, data);
    }

    public static Frame windowUpdate(int streamId, int increment) {
        return new Frame(FrameType.WINDOW_UPDATE, streamId, Unpooled.buffer(4).writeInt(increment));
    }

    public static Frame close(int streamId) {
        return new Frame(FrameType.CLOSE, streamId, Unpooled.EMPTY_BUFFER);
    }

    public static Frame reset(int streamId, String reason) {
        return new Frame(FrameType.RESET, streamId, reasonBytes(reason));
    }

    public static Frame ping(long data) {
        return new Frame(FrameType.PING, 0, Unpooled.buffer(8).writeLong(data));
    }

    public static Frame pong(long data) {
        return new Frame(FrameType.PONG, 0, Unpooled.buffer(8).writeLong(data));
    }

    public static Frame goAway(String reason) {
        return new Frame(FrameType.GOAWAY, 0, reasonBytes(reason));
    }

    private static ByteBuf reasonBytes(String reason) {
        byte[] b = (reason == null ? "" : reason).getBytes(StandardCharsets.UTF_8);
        return Unpooled.wrappedBuffer(b, 0, Math.min(b.length, MAX_REASON_BYTES));
    }

    /** The window announced by OPEN or OPENED, or the credit of a WINDOW_UPDATE. */
    public int window() {
        return content().getInt(content().readerIndex());
    }

    /** The target of an OPEN. */
    public String target() {
        ByteBuf p = content();
        return p.toString(p.readerIndex() + 4, p.readableBytes() - 4, StandardCharsets.UTF_8);
    }

    /** The reason of a RESET or GOAWAY. */
    public String reason() {
        return content().toString(StandardCharsets.UTF_8);
    }

    /** The opaque bytes of a PING or PONG. */
    public long pingData() {
        return content().getLong(content().readerIndex());
    }

    /** Checks what the header alone cannot: the payload's shape for its type. */
    void validate() {
        int len = content().readableBytes();
        if (type.connectionLevel() != (streamId == 0)) {
            throw new TunnelProtocolException(type + " frame on " + (streamId == 0 ? "stream 0" : "stream " + streamId)
                    + (type.connectionLevel() ? "; it belongs on stream 0" : "; stream 0 is the connection's"));
        }
        boolean ok = switch (type) {
            case OPEN -> len >= 5 && len <= 4 + MAX_TARGET_BYTES && window() > 0;
            case OPENED -> len == 4 && window() > 0;
            case WINDOW_UPDATE -> len == 4 && window() > 0;
            case DATA -> len > 0;
            case CLOSE -> len == 0;
            case PING, PONG -> len == 8;
            case RESET, GOAWAY -> true;
        };
        if (!ok) {
            throw new TunnelProtocolException("malformed " + type + " frame on stream " + streamId + ": "
                    + len + " payload bytes" + (len > 0 && len <= 16 ? " (" + ByteBufUtil.hexDump(content()) + ")" : ""));
        }
    }

    @Override
    public Frame replace(ByteBuf content) {
        return new Frame(type, streamId, content);
    }

    @Override
    public Frame retain() {
        super.retain();
        return this;
    }

    @Override
    public String toString() {
        return type + "(stream " + streamId + ", " + content().readableBytes() + " bytes)";
    }
}
