package io.kedge.bench;

import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.dns.DatagramDnsQuery;
import io.netty.handler.codec.dns.DatagramDnsQueryEncoder;
import io.netty.handler.codec.dns.DefaultDnsQuestion;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsSection;
import io.netty.buffer.ByteBufUtil;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * UDP query load on one DNS server: each of {@code threads} sockets keeps {@code window} queries in
 * flight, cycling through the given names; counts the answers with rcode NOERROR, and the others.
 */
final class DnsLoad {
    private final InetSocketAddress server;
    private final List<byte[]> queries = new ArrayList<>();
    private final int threads;
    private final int window;

    record Result(double answersPerSecond, long failures) {
    }

    DnsLoad(InetSocketAddress server, List<String> names, int threads, int window) {
        this.server = server;
        this.threads = threads;
        this.window = window;
        EmbeddedChannel encoder = new EmbeddedChannel(new DatagramDnsQueryEncoder());
        for (String name : names) {
            DatagramDnsQuery q = new DatagramDnsQuery(null, server, 0);
            q.setRecursionDesired(true);
            q.addRecord(DnsSection.QUESTION, new DefaultDnsQuestion(name, DnsRecordType.A));
            encoder.writeOutbound(q);
            io.netty.channel.socket.DatagramPacket packet = encoder.readOutbound();
            queries.add(ByteBufUtil.getBytes(packet.content()));
            packet.release();
        }
        encoder.finishAndReleaseAll();
    }

    /** Runs for {@code seconds}; answers per second over that time. */
    Result run(double seconds) throws InterruptedException {
        AtomicLong ok = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        long end = System.nanoTime() + (long) (seconds * 1e9);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int offset = t;
            Thread w = new Thread(() -> drive(offset, end, ok, failed), "dns-load-" + t);
            w.start();
            workers.add(w);
        }
        for (Thread w : workers) {
            w.join();
        }
        return new Result(ok.get() / seconds, failed.get());
    }

    private void drive(int offset, long end, AtomicLong ok, AtomicLong failed) {
        try (DatagramSocket socket = new DatagramSocket()) {
            socket.connect(server);
            socket.setSoTimeout(200);
            int next = offset;
            for (int i = 0; i < window; i++) {
                send(socket, next++);
            }
            byte[] buf = new byte[4096];
            DatagramPacket in = new DatagramPacket(buf, buf.length);
            while (System.nanoTime() < end) {
                try {
                    in.setLength(buf.length);
                    socket.receive(in);
                    if ((buf[3] & 0x0F) == 0) {
                        ok.incrementAndGet();
                    } else {
                        failed.incrementAndGet();
                    }
                    send(socket, next++);
                } catch (SocketTimeoutException lost) {
                    for (int i = 0; i < window; i++) {
                        send(socket, next++);
                    }
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private void send(DatagramSocket socket, int n) throws IOException {
        byte[] q = queries.get(Math.floorMod(n, queries.size())).clone();
        q[0] = (byte) (n >> 8);
        q[1] = (byte) n;
        socket.send(new DatagramPacket(q, q.length));
    }
}
