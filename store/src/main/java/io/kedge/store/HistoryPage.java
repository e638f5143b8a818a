package io.kedge.store;

import java.util.List;

/**
 * Changes read from the SQLite log in one snapshot: up to a page of events after a revision,
 * the newest revision the snapshot contains, and its compaction floor.
 */
record HistoryPage(List<WatchEvent> events, boolean full, long snapshotRevision, long compactedRevision) {
    long lastRevision() {
        return events.get(events.size() - 1).revision();
    }
}
