package io.kedge.bench;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * A fake upstream resolver on 127.0.0.1 for the forwarding benchmark: it turns every query straight
 * into an empty NOERROR answer (QR and RA set), so the figure measures the node DNS, not a resolver.
 */
final class FakeUpstreamResolver implements AutoCloseable {
    private final DatagramSocket socket;
    private final Thread thread;

    FakeUpstreamResolver() throws IOException {
        socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        thread = new Thread(this::serve, "fake-upstream-dns");
        thread.setDaemon(true);
        thread.start();
    }

    int port() {
        return socket.getLocalPort();
    }

    private void serve() {
        byte[] buf = new byte[1500];
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        while (!socket.isClosed()) {
            try {
                p.setLength(buf.length);
                socket.receive(p);
                if (p.getLength() >= 12) {
                    buf[2] |= (byte) 0x80;
                    buf[3] = (byte) 0x80;
                    socket.send(p);
                }
            } catch (IOException e) {
                return;
            }
        }
    }

    @Override
    public void close() {
        socket.close();
    }
}
