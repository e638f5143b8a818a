package io.kedge.tunnel;

/**
 * One stream's credit in both directions. Sending spends the credit the peer granted; receiving
 * spends the credit this side granted, which it returns in batches as its consumer takes the data.
 * Used from the stream's event loop only.
 */
final class FlowControl {
    private final int receiveWindow;
    private long sendCredit;
    private long receiveCredit;
    private int unacknowledged;

    FlowControl(int receiveWindow) {
        if (receiveWindow <= 0) {
            throw new IllegalArgumentException("a receive window must be positive, got " + receiveWindow);
        }
        this.receiveWindow = receiveWindow;
        this.receiveCredit = receiveWindow;
    }

    int receiveWindow() {
        return receiveWindow;
    }

    /** The window the peer announced in OPEN or OPENED. */
    void peerWindow(int window) {
        sendCredit = window;
    }

    /** How many bytes may be sent now, at most {@code wanted}. */
    int sendable(int wanted) {
        return (int) Math.min(wanted, sendCredit);
    }

    void spend(int bytes) {
        if (bytes > sendCredit) {
            throw new IllegalStateException("spending " + bytes + " bytes with a credit of " + sendCredit);
        }
        sendCredit -= bytes;
    }

    /** A WINDOW_UPDATE from the peer. */
    void grant(int increment) {
        sendCredit = Math.min(Integer.MAX_VALUE, sendCredit + increment);
    }

    /** @return false when the peer sent more than it was allowed to. */
    boolean received(int bytes) {
        if (bytes > receiveCredit) {
            return false;
        }
        receiveCredit -= bytes;
        return true;
    }

    /**
     * The consumer took {@code bytes}; returns the credit to send back in a WINDOW_UPDATE now, or 0
     * to wait for more (batches of half a window keep updates few).
     */
    int consumed(int bytes) {
        unacknowledged += bytes;
        if (unacknowledged < receiveWindow / 2) {
            return 0;
        }
        int update = unacknowledged;
        unacknowledged = 0;
        receiveCredit += update;
        return update;
    }
}
