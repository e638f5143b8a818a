package io.kedge.netproxy.dns;

import io.netty.util.NetUtil;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;

/**
 * The node's resolvers, the {@code nameserver} lines of a resolv.conf; read again when the file
 * changes (a DHCP lease renewed), at most once a second. The node DNS's own address is left out so
 * that a host pointed at it does not loop.
 */
final class UpstreamServers {
    private static final int MAX_SERVERS = 3;
    private static final long RECHECK_NANOS = 1_000_000_000L;

    private final Path resolvConf;
    private final InetSocketAddress self;
    private final int port;
    private volatile List<InetSocketAddress> servers = List.of();
    private volatile FileTime readAt;
    private volatile long checkedAt = System.nanoTime() - RECHECK_NANOS;

    /** @param port the port the resolvers listen on: 53, another only in tests and benchmarks */
    UpstreamServers(Path resolvConf, InetSocketAddress self, int port) {
        this.resolvConf = resolvConf;
        this.self = self;
        this.port = port;
    }

    List<InetSocketAddress> current() {
        long now = System.nanoTime();
        if (now - checkedAt >= RECHECK_NANOS) {
            checkedAt = now;
            reloadIfChanged();
        }
        return servers;
    }

    private void reloadIfChanged() {
        try {
            FileTime modified = Files.getLastModifiedTime(resolvConf);
            if (modified.equals(readAt)) {
                return;
            }
            readAt = modified;
            servers = parse(Files.readAllLines(resolvConf));
        } catch (IOException e) {
            servers = List.of();
            readAt = null;
        }
    }

    private List<InetSocketAddress> parse(List<String> lines) {
        List<InetSocketAddress> out = new ArrayList<>();
        for (String raw : lines) {
            String[] f = raw.strip().split("\\s+");
            if (f.length < 2 || !f[0].equals("nameserver") || out.size() == MAX_SERVERS) {
                continue;
            }
            byte[] ip = NetUtil.createByteArrayFromIpAddressString(f[1]);
            if (ip == null) {
                continue;
            }
            try {
                InetSocketAddress server = new InetSocketAddress(InetAddress.getByAddress(ip), port);
                if (!isSelf(server)) {
                    out.add(server);
                }
            } catch (UnknownHostException e) {
                // not reached: the bytes come from a parsed literal
            }
        }
        return List.copyOf(out);
    }

    private boolean isSelf(InetSocketAddress server) {
        return self != null && server.getPort() == self.getPort() && server.getAddress().equals(self.getAddress());
    }
}
