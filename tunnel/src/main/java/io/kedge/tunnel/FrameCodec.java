package io.kedge.tunnel;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.CombinedChannelDuplexHandler;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.MessageToMessageEncoder;
import java.util.List;

/**
 * Bytes to {@link Frame}s and back, in the format of PROTOCOL.md. Payloads are not copied: the
 * decoder hands out slices of what it read, the encoder writes a header buffer and the payload.
 */
public final class FrameCodec extends CombinedChannelDuplexHandler<FrameCodec.Decoder, FrameCodec.Encoder> {
    public FrameCodec() {
        super(new Decoder(), new Encoder());
    }

    /** Frames from bytes; anything malformed is a {@link TunnelProtocolException}. */
    public static final class Decoder extends ByteToMessageDecoder {
        @Override
        protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
            while (in.readableBytes() >= Frame.HEADER_BYTES) {
                int start = in.readerIndex();
                long length = in.getUnsignedInt(start + 5);
                if (length > Frame.MAX_PAYLOAD) {
                    throw new TunnelProtocolException("frame payload of " + length + " bytes exceeds the limit of "
                            + Frame.MAX_PAYLOAD);
                }
                if (in.readableBytes() < Frame.HEADER_BYTES + length) {
                    return;
                }
                FrameType type = FrameType.ofCode(in.getUnsignedByte(start));
                long stream = in.getUnsignedInt(start + 1);
                if (stream > Integer.MAX_VALUE) {
                    throw new TunnelProtocolException("stream id " + stream + " is out of range");
                }
                in.skipBytes(Frame.HEADER_BYTES);
                Frame frame = new Frame(type, (int) stream, in.readRetainedSlice((int) length));
                try {
                    frame.validate();
                } catch (TunnelProtocolException e) {
                    frame.release();
                    throw e;
                }
                out.add(frame);
            }
        }
    }

    /** A header buffer, then the payload itself. */
    public static final class Encoder extends MessageToMessageEncoder<Frame> {
        public Encoder() {
            super(Frame.class);
        }

        @Override
        protected void encode(ChannelHandlerContext ctx, Frame frame, List<Object> out) {
            ByteBuf payload = frame.content();
            if (payload.readableBytes() > Frame.MAX_PAYLOAD) {
                throw new IllegalArgumentException(frame + " exceeds the payload limit of " + Frame.MAX_PAYLOAD);
            }
            out.add(ctx.alloc().buffer(Frame.HEADER_BYTES).writeByte(frame.type().code()).writeInt(frame.streamId())
                    .writeInt(payload.readableBytes()));
            if (payload.isReadable()) {
                out.add(payload.retain());
            }
        }
    }
}
