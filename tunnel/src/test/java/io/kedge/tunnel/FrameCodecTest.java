package io.kedge.tunnel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FrameCodecTest {

    private static ByteBuf encode(Frame... frames) {
        EmbeddedChannel ch = new EmbeddedChannel(new FrameCodec());
        ByteBuf all = Unpooled.buffer();
        for (Frame f : frames) {
            ch.writeOutbound(f);
        }
        ByteBuf b;
        while ((b = ch.readOutbound()) != null) {
            all.writeBytes(b);
            b.release();
        }
        ch.finishAndReleaseAll();
        return all;
    }

    private static List<Frame> decodeByteByByte(ByteBuf bytes) {
        EmbeddedChannel ch = new EmbeddedChannel(new FrameCodec());
        while (bytes.isReadable()) {
            ch.writeInbound(bytes.readRetainedSlice(1));
        }
        bytes.release();
        List<Frame> out = new ArrayList<>();
        Frame f;
        while ((f = ch.readInbound()) != null) {
            out.add(f);
        }
        ch.finish();
        return out;
    }

    @Test
    void everyFrameTypeSurvivesARoundTripEvenWhenItArrivesOneByteAtATime() {
        byte[] data = "hello, tunnel".getBytes(StandardCharsets.UTF_8);
        List<Frame> frames = decodeByteByByte(encode(
                Frame.open(1, 262144, "kubelet"),
                Frame.opened(1, 65536),
                Frame.data(1, Unpooled.wrappedBuffer(data)),
                Frame.windowUpdate(3, 4096),
                Frame.close(1),
                Frame.reset(5, "dial 127.0.0.1:10250: connection refused"),
                Frame.ping(42),
                Frame.pong(42),
                Frame.goAway("replaced by a newer connection")));

        assertThat(frames).extracting(Frame::type).containsExactly(FrameType.OPEN, FrameType.OPENED, FrameType.DATA,
                FrameType.WINDOW_UPDATE, FrameType.CLOSE, FrameType.RESET, FrameType.PING, FrameType.PONG, FrameType.GOAWAY);
        assertThat(frames).extracting(Frame::streamId).containsExactly(1, 1, 1, 3, 1, 5, 0, 0, 0);
        assertThat(frames.get(0).window()).isEqualTo(262144);
        assertThat(frames.get(0).target()).isEqualTo("kubelet");
        assertThat(frames.get(1).window()).isEqualTo(65536);
        assertThat(ByteBufUtil.getBytes(frames.get(2).content())).isEqualTo(data);
        assertThat(frames.get(3).window()).isEqualTo(4096);
        assertThat(frames.get(4).content().readableBytes()).isZero();
        assertThat(frames.get(5).reason()).isEqualTo("dial 127.0.0.1:10250: connection refused");
        assertThat(frames.get(6).pingData()).isEqualTo(42);
        assertThat(frames.get(7).pingData()).isEqualTo(42);
        assertThat(frames.get(8).reason()).isEqualTo("replaced by a newer connection");
        frames.forEach(Frame::release);
    }

    @Test
    void theHeaderIsTypeThenStreamIdThenLengthBigEndian() {
        ByteBuf bytes = encode(Frame.windowUpdate(7, 256));
        assertThat(ByteBufUtil.hexDump(bytes)).isEqualTo("04" + "00000007" + "00000004" + "00000100");
        bytes.release();
    }

    @Test
    void aPayloadOverTheLimitIsAProtocolError() {
        ByteBuf header = Unpooled.buffer().writeByte(3).writeInt(1).writeInt(Frame.MAX_PAYLOAD + 1);
        EmbeddedChannel ch = new EmbeddedChannel(new FrameCodec());
        assertThatThrownBy(() -> ch.writeInbound(header))
                .isInstanceOf(DecoderException.class)
                .hasRootCauseInstanceOf(TunnelProtocolException.class)
                .hasMessageContaining("exceeds the limit of 65536");
    }

    @Test
    void anUnknownFrameTypeIsAProtocolError() {
        ByteBuf frame = Unpooled.buffer().writeByte(77).writeInt(1).writeInt(0);
        EmbeddedChannel ch = new EmbeddedChannel(new FrameCodec());
        assertThatThrownBy(() -> ch.writeInbound(frame)).hasMessageContaining("unknown frame type 77");
    }

    @Test
    void aStreamFrameOnStreamZeroIsAProtocolError() {
        ByteBuf frame = Unpooled.buffer().writeByte(FrameType.DATA.code()).writeInt(0).writeInt(1).writeByte('x');
        EmbeddedChannel ch = new EmbeddedChannel(new FrameCodec());
        assertThatThrownBy(() -> ch.writeInbound(frame)).hasMessageContaining("DATA frame on stream 0");
    }

    @Test
    void aWindowUpdateOfZeroIsMalformed() {
        ByteBuf frame = Unpooled.buffer().writeByte(FrameType.WINDOW_UPDATE.code()).writeInt(1).writeInt(4).writeInt(0);
        EmbeddedChannel ch = new EmbeddedChannel(new FrameCodec());
        assertThatThrownBy(() -> ch.writeInbound(frame)).hasMessageContaining("malformed WINDOW_UPDATE frame on stream 1");
    }

    @Test
    void aTargetNameMustFitItsLimit() {
        assertThatThrownBy(() -> Frame.open(1, 1024, "")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1 to 255 bytes");
        assertThatThrownBy(() -> Frame.open(1, 1024, "x".repeat(256))).hasMessageContaining("got 256 bytes");
    }

    @Test
    void aLongReasonIsCutToItsLimit() {
        Frame f = Frame.reset(1, "y".repeat(5000));
        assertThat(f.reason()).hasSize(1024);
        f.release();
    }
}
