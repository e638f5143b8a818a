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
        if (query.opCode() != DnsOpCode.QUERY) {
            reply(ctx, query, null, new Answer(DnsResponseCode.NOTIMP, List.of(), List.of(), List.of()));
            return;
        }
        if (query.count(DnsSection.QUESTION) != 1) {
            reply(ctx, query, null, new Answer(DnsResponseCode.FORMERR, List.of(), List.of(), List.of()));
            return;
        }
        DnsQuestion question = query.recordAt(DnsSection.QUESTION);
        Answer answer = question.dnsClass() == CLASS_IN ? zone.answer(question.name(), question.type()) : null;
        if (answer != null) {
            reply(ctx, query, question, answer);
            return;
        }
        boolean tcp = !(query instanceof DatagramDnsQuery);
        InetSocketAddress client = tcp ? null : ((DatagramDnsQuery) query).sender();
        DnsQuery kept = copyHeader(query, question);
        forwarder.forward(ctx.channel().eventLoop(), query, tcp).addListener((Future<ByteBuf> f) -> {
            if (f.isSuccess()) {
                ctx.writeAndFlush(tcp ? Unpooled.wrappedBuffer(Unpooled.copyShort(f.getNow().readableBytes()), f.getNow())
                        : new DatagramPacket(f.getNow(), client));
            } else {
                LOG.debug("forwarding {} {} failed: {}", question.type(), question.name(), f.cause().toString());
                reply(ctx, kept, question, Answer.failure());
            }
        });
    }

    /** What a late SERVFAIL needs of a query that is released by then. */
    private static DnsQuery copyHeader(DnsQuery query, DnsQuestion question) {
        DnsQuery copy = query instanceof DatagramDnsQuery d ? new DatagramDnsQuery(d.sender(), d.recipient(), d.id())
                : new io.netty.handler.codec.dns.DefaultDnsQuery(query.id());
        copy.setRecursionDesired(query.isRecursionDesired());
        DnsRecord opt = edns(query);
        if (opt != null) {
            copy.addRecord(DnsSection.ADDITIONAL, Records.opt(opt.dnsClass()));
        }
        return copy;
    }

    private static void reply(ChannelHandlerContext ctx, DnsQuery query, DnsQuestion question, Answer answer) {
        DnsResponse response = query instanceof DatagramDnsQuery d
                ? new DatagramDnsResponse(d.recipient(), d.sender(), query.id(), query.opCode(), answer.code())
                : new DefaultDnsResponse(query.id(), query.opCode(), answer.code());
        response.setAuthoritativeAnswer(question != null && answer.code() != DnsResponseCode.SERVFAIL);
        response.setRecursionAvailable(true);
        response.setRecursionDesired(query.isRecursionDesired());
        if (question != null) {
            response.addRecord(DnsSection.QUESTION, new DefaultDnsQuestion(question.name(), question.type(), question.dnsClass()));
        }
        DnsRecord opt = edns(query);
        int limit = opt == null ? PLAIN_UDP_LIMIT : Math.max(PLAIN_UDP_LIMIT, Math.min(opt.dnsClass(), EDNS_UDP_LIMIT));
        boolean udp = query instanceof DatagramDnsQuery;
        int size = size(question, answer.answers()) + size(null, answer.authority()) + (opt == null ? 0 : 11);
        List<DnsRecord> additional = answer.additional();
        if (udp && size + size(null, additional) > limit) {
            additional = List.of();
        }
        if (udp && size > limit) {
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
        if (opt != null) {
            response.addRecord(DnsSection.ADDITIONAL, Records.opt(EDNS_UDP_LIMIT));
        }
        ctx.writeAndFlush(response);
    }

    private static DnsRecord edns(DnsQuery query) {
        for (int i = 0; i < query.count(DnsSection.ADDITIONAL); i++) {
            DnsRecord r = query.recordAt(DnsSection.ADDITIONAL, i);
            if (r.type() == DnsRecordType.OPT) {
                return r;
            }
        }
        return null;
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
