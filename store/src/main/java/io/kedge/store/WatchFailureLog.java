package io.kedge.store;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The failure handler of watches whose caller gave none. */
final class WatchFailureLog {
    private static final Logger LOG = LoggerFactory.getLogger(WatchFailureLog.class);

    private WatchFailureLog() {}

    static void log(Exception failure) {
        LOG.warn("a watch ended and nobody was told to restart it", failure);
    }
}
