package io.kedge.kubelet.certs;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.time.Duration;

/**
 * How long a failed renewal waits before the next try. A cloud that answered with an error is given
 * a back-off that doubles up to a limit, to spare it. A cloud that could not even be connected to
 * costs nothing to try, so it is tried again after the first back-off each time: a node whose
 * certificate expired during a cut then joins again within seconds of the link's return, not
 * minutes.
 */
final class RetryBackoff {
    private final Duration first;
    private final Duration max;
    private Duration next;

    RetryBackoff(Duration first, Duration max) {
        this.first = first;
        this.max = max;
        this.next = first;
    }

    /** The wait before trying again after {@code failure}. */
    Duration after(Throwable failure) {
        if (unreachable(failure)) {
            return first;
        }
        Duration wait = next;
        Duration doubled = next.multipliedBy(2);
        next = doubled.compareTo(max) > 0 ? max : doubled;
        return wait;
    }

    /** After a success, the next failure waits the first back-off again. */
    void reset() {
        next = first;
    }

    /** Whether no connection to the cloud could be made at all (refused, no route, timed out connecting). */
    static boolean unreachable(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ConnectException || t instanceof NoRouteToHostException || t instanceof UnknownHostException
                    || t instanceof HttpConnectTimeoutException) {
                return true;
            }
            if (t instanceof SocketTimeoutException && t.getMessage() != null
                    && t.getMessage().toLowerCase(java.util.Locale.ROOT).contains("connect timed out")) {
                return true;
            }
        }
        return false;
    }
}
