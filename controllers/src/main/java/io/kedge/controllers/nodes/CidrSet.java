package io.kedge.controllers.nodes;

import java.util.BitSet;

/**
 * The node-sized subnets of the cluster CIDR (IPv4), each free or taken. Allocation goes round the
 * range from just after the last subnet handed out, so a released subnet is not reused at once.
 */
public final class CidrSet {
    /** More subnets than this would be a mistake in the flags rather than a cluster. */
    private static final int MAX_SUBNET_BITS = 16;

    private final long base;
    private final int clusterPrefix;
    private final int nodePrefix;
    private final int count;
    private final BitSet used;
    private int next;

    public CidrSet(String clusterCidr, int nodePrefix) {
        if (clusterCidr == null || clusterCidr.isBlank()) {
            throw new IllegalArgumentException("the cluster CIDR is empty");
        }
        if (clusterCidr.contains(":")) {
            throw new IllegalArgumentException("cluster CIDR " + clusterCidr + " is IPv6; node IPAM supports IPv4 only");
        }
        long[] parsed = parse(clusterCidr, "cluster CIDR");
        this.clusterPrefix = (int) parsed[1];
        if (nodePrefix < clusterPrefix || nodePrefix > 32) {
            throw new IllegalArgumentException("the node CIDR prefix /" + nodePrefix + " must lie between the cluster CIDR's /"
                    + clusterPrefix + " and /32");
        }
        if (nodePrefix - clusterPrefix > MAX_SUBNET_BITS) {
            throw new IllegalArgumentException("cluster CIDR " + clusterCidr + " split into /" + nodePrefix + " gives more than "
                    + (1 << MAX_SUBNET_BITS) + " node subnets; use a longer cluster prefix or a shorter node prefix");
        }
        this.nodePrefix = nodePrefix;
        this.base = parsed[0] & mask(clusterPrefix);
        this.count = 1 << (nodePrefix - clusterPrefix);
        this.used = new BitSet(count);
    }

    public int size() {
        return count;
    }

    public synchronized int free() {
        return count - used.cardinality();
    }

    /** The next free subnet, or null if every one is taken. */
    public synchronized String allocate() {
        for (int i = 0; i < count; i++) {
            int candidate = (next + i) % count;
            if (!used.get(candidate)) {
                used.set(candidate);
                next = (candidate + 1) % count;
                return subnet(candidate);
            }
        }
        return null;
    }

    /**
     * Marks a subnet found on a node as taken.
     *
     * @return false if it is not one of this set's subnets (another range, or another size)
     */
    public synchronized boolean occupy(String cidr) {
        int index = indexOf(cidr);
        if (index < 0) {
            return false;
        }
        used.set(index);
        return true;
    }

    public synchronized void release(String cidr) {
        int index = indexOf(cidr);
        if (index >= 0) {
            used.clear(index);
        }
    }

    private int indexOf(String cidr) {
        long[] parsed;
        try {
            parsed = parse(cidr, "node CIDR");
        } catch (IllegalArgumentException e) {
            return -1;
        }
        if (parsed[1] != nodePrefix || (parsed[0] & mask(clusterPrefix)) != base || (parsed[0] & ~mask(nodePrefix) & 0xFFFFFFFFL) != 0) {
            return -1;
        }
        return (int) ((parsed[0] - base) >>> (32 - nodePrefix));
    }

    private String subnet(int index) {
        long address = base + ((long) index << (32 - nodePrefix));
        return ((address >>> 24) & 0xFF) + "." + ((address >>> 16) & 0xFF) + "." + ((address >>> 8) & 0xFF) + "."
                + (address & 0xFF) + "/" + nodePrefix;
    }

    private static long mask(int prefix) {
        return prefix == 0 ? 0 : (0xFFFFFFFFL << (32 - prefix)) & 0xFFFFFFFFL;
    }

    /** {address, prefix} of "a.b.c.d/n". */
    private static long[] parse(String cidr, String what) {
        String[] parts = cidr.trim().split("/", -1);
        if (parts.length != 2) {
            throw new IllegalArgumentException(what + " " + cidr + " is not of the form a.b.c.d/n");
        }
        String[] octets = parts[0].split("\\.", -1);
        if (octets.length != 4) {
            throw new IllegalArgumentException(what + " " + cidr + " does not have a dotted IPv4 address");
        }
        long address = 0;
        for (String o : octets) {
            int v = number(o, 255, what, cidr);
            address = (address << 8) | v;
        }
        int prefix = number(parts[1], 32, what, cidr);
        return new long[]{address, prefix};
    }

    private static int number(String text, int max, String what, String cidr) {
        if (text.isEmpty() || text.length() > 3 || !text.chars().allMatch(Character::isDigit)) {
            throw new IllegalArgumentException(what + " " + cidr + " has a bad number: '" + text + "'");
        }
        int v = Integer.parseInt(text);
        if (v > max) {
            throw new IllegalArgumentException(what + " " + cidr + " has " + v + " where at most " + max + " fits");
        }
        return v;
    }
}
