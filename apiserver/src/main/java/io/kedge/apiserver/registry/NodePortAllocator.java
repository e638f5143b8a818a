package io.kedge.apiserver.registry;

import io.kedge.api.ApiException;
import java.util.BitSet;

/**
 * Hands out node ports from 30000-32767, upstream's default range. Like the ClusterIP allocator it
 * keeps no state of its own: the ports in use are marked from the stored Services at start.
 */
public final class NodePortAllocator {
    public static final int FIRST = 30000;
    public static final int LAST = 32767;
    private final BitSet used = new BitSet(LAST - FIRST + 1);
    private int next;

    public static boolean inRange(int port) {
        return port >= FIRST && port <= LAST;
    }

    public synchronized int allocate() {
        int size = LAST - FIRST + 1;
        for (int i = 0; i < size; i++) {
            int candidate = (next + i) % size;
            if (!used.get(candidate)) {
                used.set(candidate);
                next = candidate + 1;
                return FIRST + candidate;
            }
        }
        throw ApiException.of(500, "InternalError", "no node port left in the range " + FIRST + "-" + LAST);
    }

    /** Claims a requested port; false when it is taken. */
    public synchronized boolean reserve(int port) {
        if (used.get(port - FIRST)) {
            return false;
        }
        used.set(port - FIRST);
        return true;
    }

    /** Marks a port of a stored Service as used, without a conflict check. */
    public synchronized void markUsed(int port) {
        if (inRange(port)) {
            used.set(port - FIRST);
        }
    }

    public synchronized void release(int port) {
        if (inRange(port)) {
            used.clear(port - FIRST);
        }
    }
}
