package io.kedge.kubelet.events;

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
 * A TCP relay in front of the cloud server, for tests of a node that loses its cloud: cut drops
 * every connection and refuses new ones; restore listens again on the same port (one below the
 * ephemeral range, so no client socket can take it meanwhile).
 */
final class Uplink implements AutoCloseable {
    private final int target;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private volatile ServerSocket listener;
    private int port;

    Uplink(int target) throws IOException {
        this.target = target;
        java.util.Random random = new java.util.Random();
        for (int attempt = 0; ; attempt++) {
            try {
                listen(20_000 + random.nextInt(12_000));
                return;
            } catch (java.net.BindException taken) {
                if (attempt == 50) {
                    throw taken;
                }
            }
        }
    }

    int port() {
        return port;
    }

    synchronized void cut() throws IOException {
        listener.close();
        for (Socket s : sockets) {
            s.close();
        }
        sockets.clear();
    }

    synchronized void restore() throws IOException {
        listen(port);
    }

    private void listen(int wanted) throws IOException {
        ServerSocket server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), wanted));
        listener = server;
        port = server.getLocalPort();
        daemon("uplink-accept", () -> {
            while (!server.isClosed()) {
                try {
                    Socket in = server.accept();
                    Socket out = new Socket(InetAddress.getLoopbackAddress(), target);
                    sockets.add(in);
                    sockets.add(out);
                    daemon("uplink-up", () -> relay(in, out));
                    daemon("uplink-down", () -> relay(out, in));
                } catch (IOException closed) {
                    return;
                }
            }
        });
    }

    private static void relay(Socket from, Socket to) {
        byte[] buf = new byte[16384];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            for (int n; (n = in.read(buf)) >= 0; ) {
                out.write(buf, 0, n);
                out.flush();
            }
        } catch (IOException cutOrClosed) {
            // either side closed, or the uplink was cut
        } finally {
            try {
                from.close();
                to.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }

    private static void daemon(String name, Runnable r) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
    }

    @Override
    public synchronized void close() throws IOException {
        cut();
    }
}
