package io.kedge.netproxy.dns;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.handler.codec.dns.DatagramDnsQuery;
import io.netty.handler.codec.dns.DatagramDnsResponse;
import io.netty.handler.codec.dns.DefaultDnsQuestion;
import io.netty.handler.codec.dns.DefaultDnsResponse;
import io.netty.handler.codec.dns.DnsOpCode;
import io.netty.handler.codec.dns.DnsQuery;
import io.netty.handler.codec.dns.DnsQuestion;
import io.netty.handler.codec.dns.DnsRawRecord;
import io.netty.handler.codec.dns.DnsRecord;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsResponse;
import io.netty.handler.codec.dns.DnsResponseCode;
import io.netty.handler.codec.dns.DnsSection;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import java.net.InetSocketAddress;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers one decoded query, over UDP or TCP: from the cluster zone when the name is the cluster's,
 * else through the upstream resolvers, SERVFAIL when they fail.
 */
@ChannelHandler.Sharable
final class QueryHandler extends SimpleChannelInboundHandler<DnsQuery> {
    private static final Logger LOG = LoggerFactory.getLogger(QueryHandler.class);
    private static final int CLASS_IN = 1;
    private static final int PLAIN_UDP_LIMIT = 512;
    /** Beyond this, UDP answers risk IP fragmentation (the 2020 DNS flag day value). */
    private static final int EDNS_UDP_LIMIT = 1232;

    private final ClusterZone zone;
    private final Forwarder forwarder;

    QueryHandler(ClusterZone zone, Forwarder forwarder) {
        this.zone = zone;
        this.forwarder = forwarder;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, DnsQuery query) {
        Header header = Header.of(query);
        if (query.opCode() != DnsOpCode.QUERY) {
            reply(ctx, header, null, new Answer(DnsResponseCode.NOTIMP, List.of(), List.of(), List.of()));
            return;
        }
        if (query.count(DnsSection.QUESTION) != 1) {
            reply(ctx, header, null, new Answer(DnsResponseCode.FORMERR, List.of(), List.of(), List.of()));
            return;
        }
        DnsQuestion question = query.recordAt(DnsSection.QUESTION);
        Answer answer = question.dnsClass() == CLASS_IN ? zone.answer(question.name(), question.type()) : null;
        if (answer != null) {
            reply(ctx, header, question, answer);
            return;
        }
        forwarder.forward(ctx.channel().eventLoop(), query, !header.udp()).addListener((Future<ByteBuf> f) -> {
            if (f.isSuccess()) {
                ByteBuf raw = f.getNow();
                ctx.writeAndFlush(header.udp() ? new DatagramPacket(raw, header.client())
                        : Unpooled.wrappedBuffer(Unpooled.copyShort(raw.readableBytes()), raw));
            } else {
                LOG.debug("forwarding {} {} failed: {}", question.type(), question.name(), f.cause().toString());
                reply(ctx, header, question, Answer.failure());
            }
        });
    }

    /** What a response needs of its query, kept apart so that the query can be released before a late answer. */
    private record Header(int id, DnsOpCode opCode, boolean recursionDesired, int ednsPayload, InetSocketAddress client,
                          InetSocketAddress local) {
        static Header of(DnsQuery query) {
            int edns = -1;
            for (int i = 0; i < query.count(DnsSection.ADDITIONAL); i++) {
                DnsRecord r = query.recordAt(DnsSection.ADDITIONAL, i);
                if (r.type() == DnsRecordType.OPT) {
                    edns = r.dnsClass();
                }
            }
            DatagramDnsQuery udp = query instanceof DatagramDnsQuery d ? d : null;
            return new Header(query.id(), query.opCode(), query.isRecursionDesired(), edns,
                    udp == null ? null : udp.sender(), udp == null ? null : udp.recipient());
        }

        boolean udp() {
            return client != null;
        }
    }

    private static void reply(ChannelHandlerContext ctx, Header header, DnsQuestion question, Answer answer) {
        DnsResponse response = header.udp()
                ? new DatagramDnsResponse(header.local(), header.client(), header.id(), header.opCode(), answer.code())
                : new DefaultDnsResponse(header.id(), header.opCode(), answer.code());
        response.setAuthoritativeAnswer(question != null && answer.code() != DnsResponseCode.SERVFAIL);
        response.setRecursionAvailable(true);
        response.setRecursionDesired(header.recursionDesired());
        if (question != null) {
            response.addRecord(DnsSection.QUESTION, new DefaultDnsQuestion(question.name(), question.type(), question.dnsClass()));
        }
        boolean edns = header.ednsPayload() >= 0;
        int limit = edns ? Math.max(PLAIN_UDP_LIMIT, Math.min(header.ednsPayload(), EDNS_UDP_LIMIT)) : PLAIN_UDP_LIMIT;
        int size = size(question, answer.answers()) + size(null, answer.authority()) + (edns ? 11 : 0);
        List<DnsRecord> additional = answer.additional();
        if (header.udp() && size + size(null, additional) > limit) {
            additional = List.of();
        }
        if (header.udp() && size > limit) {
            response.setTruncated(true);
            release(answer.answers());
            release(answer.authority());
        } else {
            answer.answers().forEach(r -> response.addRecord(DnsSection.ANSWER, r));
            answer.authority().forEach(r -> response.addRecord(DnsSection.AUTHORITY, r));
        }
        if (additional.isEmpty()) {
            release(answer.additional());
        } else {
            additional.forEach(r -> response.addRecord(DnsSection.ADDITIONAL, r));
        }
        if (edns) {
            response.addRecord(DnsSection.ADDITIONAL, Records.opt(EDNS_UDP_LIMIT));
        }
        ctx.writeAndFlush(response);
    }

    /** Bytes on the wire, as Netty writes them: a header, and names without compression. */
    private static int size(DnsQuestion question, List<DnsRecord> records) {
        int size = question == null ? 0 : 12 + Records.wireLength(question.name()) + 4;
        for (DnsRecord r : records) {
            size += Records.wireLength(r.name()) + 10 + (r instanceof DnsRawRecord raw ? raw.content().readableBytes() : 0);
        }
        return size;
    }

    private static void release(List<DnsRecord> records) {
        records.forEach(ReferenceCountUtil::release);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // one bad packet must not stop the UDP socket; a TCP client that sends garbage loses its connection
        LOG.debug("bad DNS input from {}: {}", ctx.channel().remoteAddress(), cause.toString());
        if (!(ctx.channel() instanceof io.netty.channel.socket.DatagramChannel)) {
            ctx.close();
        }
    }
}
