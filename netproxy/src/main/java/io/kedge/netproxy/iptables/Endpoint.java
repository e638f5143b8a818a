package io.kedge.netproxy.iptables;

/** One ready backend of a Service port: the address and the port number the slice resolved for it. */
public record Endpoint(String ip, int port) implements Comparable<Endpoint> {
    public Endpoint {
        if (ip == null || ip.isEmpty()) {
            throw new IllegalArgumentException("endpoint address is empty");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("endpoint " + ip + ": port " + port + " is outside 1-65535");
        }
    }

    @Override
    public int compareTo(Endpoint o) {
        int c = ip.compareTo(o.ip);
        return c != 0 ? c : Integer.compare(port, o.port);
    }

    @Override
    public String toString() {
        return ip + ":" + port;
    }
}
