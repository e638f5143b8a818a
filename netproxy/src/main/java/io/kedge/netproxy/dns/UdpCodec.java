package io.kedge.netproxy.dns;

import io.netty.buffer.ByteBuf;
import io.netty.channel.AddressedEnvelope;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.socket.DatagramPacket;
import io.netty.handler.codec.dns.DatagramDnsQueryDecoder;
import io.netty.handler.codec.dns.DatagramDnsResponseEncoder;
import io.netty.handler.codec.dns.DnsResponse;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Netty's UDP DNS codec, adjusted for a server that also relays upstream answers as raw packets. */
final class UdpCodec {
    private static final Logger LOG = LoggerFactory.getLogger(UdpCodec.class);
    private static final int HEADER = 12;
    private static final int FORMERR = 1;

    private UdpCodec() {}

    /** Lets raw packets (relayed upstream answers) pass; encodes only responses the server built. */
    static final class ResponseEncoder extends DatagramDnsResponseEncoder {
        @Override
        public boolean acceptOutboundMessage(Object msg) {
            return msg instanceof AddressedEnvelope<?, ?> e && e.content() instanceof DnsResponse;
        }
    }

    /**
     * Decodes queries; a packet that does not decode but has a query header gets FORMERR with its ID,
     * anything shorter or a response is dropped.
     */
    static final class QueryDecoder extends DatagramDnsQueryDecoder {
        @Override
        protected void decode(ChannelHandlerContext ctx, DatagramPacket packet, List<Object> out) {
            try {
                super.decode(ctx, packet, out);
            } catch (Exception e) {
                LOG.debug("malformed DNS query from {}: {}", packet.sender(), e.toString());
                ByteBuf in = packet.content();
                // absolute positions: the failed decode has moved the reader index
                boolean query = in.writerIndex() >= HEADER && (in.getByte(2) & 0x80) == 0;
                if (query) {
                    ByteBuf reply = ctx.alloc().buffer(HEADER);
                    reply.writeShort(in.getUnsignedShort(0));
                    reply.writeByte(0x80 | (in.getByte(2) & 0x78)); // QR, the query's opcode
                    reply.writeByte(0x80 | FORMERR); // RA
                    reply.writeZero(8);
                    ctx.writeAndFlush(new DatagramPacket(reply, packet.sender()));
                }
            }
        }
    }
}
