package io.kedge.hub;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The node's uplink in tests: a TCP relay in front of the cloud server that can be cut (every
 * connection dropped, new ones refused) and restored on the same port.
 */
public final class Link implements AutoCloseable {
    private final int target;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final java.util.concurrent.atomic.AtomicLong accepted = new java.util.concurrent.atomic.AtomicLong();
    private volatile ServerSocket listener;
    private int port;

    public Link(int target) throws IOException {
        this.target = target;
        openOutsideEphemeralRange();
    }

    /**
     * The link listens below the kernel's ephemeral range, so that while it is cut no client's
     * connection attempt can be given its port as a local one (and meet itself there), which
     * would keep {@link #restore} from binding it again.
     */
    private void openOutsideEphemeralRange() throws IOException {
        java.util.Random random = new java.util.Random();
        IOException last = null;
        for (int i = 0; i < 50; i++) {
            try {
                open(20_000 + random.nextInt(12_000));
                return;
            } catch (java.net.BindException taken) {
                last = taken;
            }
        }
        throw last;
    }

    public int port() {
        return port;
    }

    /** How many connections the link has taken since it was made. */
    public long connections() {
        return accepted.get();
    }

    public synchronized void cut() throws IOException {
        listener.close();
        for (Socket s : sockets) {
            s.close();
        }
        sockets.clear();
    }

    public synchronized void restore() throws IOException {
        open(port);
    }

    private void open(int wanted) throws IOException {
        ServerSocket server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), wanted));
        listener = server;
        port = server.getLocalPort();
        Thread accept = new Thread(() -> {
            while (!server.isClosed()) {
                try {
                    Socket in = server.accept();
                    accepted.incrementAndGet();
                    Socket out = new Socket(InetAddress.getLoopbackAddress(), target);
                    sockets.add(in);
                    sockets.add(out);
                    pipe(in, out);
                    pipe(out, in);
                } catch (IOException closed) {
                    return;
                }
            }
        }, "link-accept");
        accept.setDaemon(true);
        accept.start();
    }

    private void pipe(Socket from, Socket to) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[16384];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                for (int n; (n = in.read(buf)) >= 0; ) {
                    out.write(buf, 0, n);
                    out.flush();
                }
            } catch (IOException ignored) {
                // cut, or closed by either side
            } finally {
                try {
                    from.close();
                    to.close();
                } catch (IOException ignored) {
                    // already closed
                }
            }
        }, "link-pipe");
        t.setDaemon(true);
        t.start();
    }

    @Override
    public void close() throws IOException {
        cut();
    }
}
