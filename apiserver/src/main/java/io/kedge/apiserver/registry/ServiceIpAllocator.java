package io.kedge.apiserver.registry;

import io.kedge.api.ApiException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.BitSet;

/**
 * Hands out ClusterIPs from the service CIDR. The bitmap is rebuilt from the stored services at
 * start, so it needs no state of its own.
 */
public final class ServiceIpAllocator {
    private final int base;
    private final int size;
    private final BitSet used;
    private final String cidr;
    private int next;

    public ServiceIpAllocator(String cidr) {
        this.cidr = cidr;
        String[] parts = cidr.split("/");
        if (parts.length != 2) {
            throw new IllegalArgumentException("service CIDR must look like 10.43.0.0/16, got " + cidr);
        }
        int prefix = Integer.parseInt(parts[1]);
        if (prefix < 8 || prefix > 30) {
            throw new IllegalArgumentException("service CIDR prefix must be between /8 and /30, got /" + prefix);
        }
        this.size = 1 << (32 - prefix);
        this.base = toInt(parts[0]) & (int) (0xFFFFFFFFL << (32 - prefix));
        this.used = new BitSet(size);
        used.set(0);
        used.set(size - 1);
        next = 2;
    }

    /** The first usable address, kept for the {@code default/kubernetes} service. */
    public String first() {
        return toString(base + 1);
    }

    public synchronized String allocate() {
        for (int i = 0; i < size; i++) {
            int candidate = (next + i) % size;
            if (!used.get(candidate)) {
                used.set(candidate);
                next = candidate + 1;
                return toString(base + candidate);
            }
        }
        throw ApiException.of(500, "InternalError", "no ClusterIP left in the service range " + cidr);
    }

    /** Claims a requested address; false when it is already taken. */
    public synchronized boolean reserve(String ip) {
        int offset = offsetOf(ip);
        if (used.get(offset) && offset != 1) {
            return false;
        }
        used.set(offset);
        return true;
    }

    /** Marks an address of a stored service as used, without a conflict check. */
    public synchronized void markUsed(String ip) {
        try {
            used.set(offsetOf(ip));
        } catch (ApiException outOfRange) {
            // an address outside the range (e.g. after a CIDR change) is left alone
        }
    }

    public synchronized void release(String ip) {
        try {
            int offset = offsetOf(ip);
            if (offset != 1) {
                used.clear(offset);
            }
        } catch (ApiException outOfRange) {
            // nothing of ours to release
        }
    }

    public boolean contains(String ip) {
        try {
            offsetOf(ip);
            return true;
        } catch (ApiException e) {
            return false;
        }
    }

    private int offsetOf(String ip) {
        long offset = (toInt(ip) & 0xFFFFFFFFL) - (base & 0xFFFFFFFFL);
        if (offset <= 0 || offset >= size - 1) {
            throw ApiException.badRequest("the IP " + ip + " is not in the service range " + cidr);
        }
        return (int) offset;
    }

    private static int toInt(String ip) {
        try {
            byte[] b = InetAddress.getByName(ip).getAddress();
            if (b.length != 4 || !ip.matches("[0-9.]+")) {
                throw ApiException.badRequest("not an IPv4 address: " + ip);
            }
            return ((b[0] & 0xFF) << 24) | ((b[1] & 0xFF) << 16) | ((b[2] & 0xFF) << 8) | (b[3] & 0xFF);
        } catch (UnknownHostException e) {
            throw ApiException.badRequest("not an IPv4 address: " + ip);
        }
    }

    private static String toString(int ip) {
        return ((ip >>> 24) & 0xFF) + "." + ((ip >>> 16) & 0xFF) + "." + ((ip >>> 8) & 0xFF) + "." + (ip & 0xFF);
    }
}
