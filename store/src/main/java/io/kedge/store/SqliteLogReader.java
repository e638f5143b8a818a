package io.kedge.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The read queries, on one read-only connection. Each call runs in its own read transaction,
 * so everything it returns comes from one snapshot.
 */
final class SqliteLogReader implements AutoCloseable {
    private final Connection connection;
    private final PreparedStatement liveRow;
    private final PreparedStatement rangeBounded;
    private final PreparedStatement rangeUnbounded;
    private final PreparedStatement historyBounded;
    private final PreparedStatement historyUnbounded;
    private final PreparedStatement newestRevision;
    private final PreparedStatement compactedRevision;

    SqliteLogReader(Connection connection) throws SQLException {
        this.connection = connection;
        liveRow = connection.prepareStatement(SqliteSchema.LIVE_ROW);
        rangeBounded = connection.prepareStatement(SqliteSchema.RANGE_BOUNDED);
        rangeUnbounded = connection.prepareStatement(SqliteSchema.RANGE_UNBOUNDED);
        historyBounded = connection.prepareStatement(SqliteSchema.HISTORY_BOUNDED);
        historyUnbounded = connection.prepareStatement(SqliteSchema.HISTORY_UNBOUNDED);
        newestRevision = connection.prepareStatement(SqliteSchema.NEWEST_REVISION);
        compactedRevision = connection.prepareStatement(SqliteSchema.COMPACTED_REVISION);
    }

    Optional<KeyValue> get(byte[] key, String keyString) throws SQLException {
        try {
            liveRow.setBytes(1, key);
            try (ResultSet rs = liveRow.executeQuery()) {
                return rs.next()
                        ? Optional.of(new KeyValue(keyString, rs.getBytes(3), rs.getLong(2), rs.getLong(1)))
                        : Optional.empty();
            }
        } finally {
            connection.rollback();
        }
    }

    RangeResult range(byte[] prefix, String startAfter, int limit) throws SQLException {
        try {
            long revision = single(newestRevision);
            byte[] end = KeyBytes.prefixEnd(prefix);
            PreparedStatement query = end == null ? rangeUnbounded : rangeBounded;
            int i = 1;
            query.setBytes(i++, KeyBytes.rangeStart(prefix, startAfter));
            if (end != null) {
                query.setBytes(i++, end);
            }
            query.setLong(i, limit == 0 ? -1 : limit + 1L);
            List<KeyValue> kvs = new ArrayList<>();
            boolean more = false;
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    if (limit > 0 && kvs.size() == limit) {
                        more = true;
                        break;
                    }
                    kvs.add(new KeyValue(KeyBytes.string(rs.getBytes(1)), rs.getBytes(4), rs.getLong(2), rs.getLong(3)));
                }
            }
            return new RangeResult(List.copyOf(kvs), more, revision);
        } finally {
            connection.rollback();
        }
    }

    /**
     * Up to {@code limit} changes under the prefix with revisions in (after, upTo]. When the
     * floor has passed {@code after} the page carries no events: some are gone.
     */
    HistoryPage history(byte[] prefix, byte[] prefixEnd, long after, long upTo, int limit) throws SQLException {
        try {
            long floor = single(compactedRevision);
            long newest = single(newestRevision);
            if (floor > after) {
                return new HistoryPage(List.of(), false, newest, floor);
            }
            PreparedStatement query = prefixEnd == null ? historyUnbounded : historyBounded;
            int i = 1;
            query.setLong(i++, after);
            query.setLong(i++, upTo);
            query.setBytes(i++, prefix);
            if (prefixEnd != null) {
                query.setBytes(i++, prefixEnd);
            }
            query.setInt(i, limit);
            List<WatchEvent> events = new ArrayList<>();
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    events.add(event(rs));
                }
            }
            return new HistoryPage(events, events.size() == limit, newest, floor);
        } finally {
            connection.rollback();
        }
    }

    private static WatchEvent event(ResultSet rs) throws SQLException {
        long revision = rs.getLong(1);
        String key = KeyBytes.string(rs.getBytes(2));
        boolean deleted = rs.getInt(3) != 0;
        long prevRevision = rs.getLong(6);
        KeyValue prev = rs.wasNull() ? null : new KeyValue(key, rs.getBytes(8), rs.getLong(7), prevRevision);
        if (deleted) {
            return new WatchEvent(WatchEvent.Type.DELETE, new KeyValue(key, SqliteLogWriter.NO_VALUE, 0, revision), prev);
        }
        return new WatchEvent(WatchEvent.Type.PUT, new KeyValue(key, rs.getBytes(5), rs.getLong(4), revision), prev);
    }

    private static long single(PreparedStatement query) throws SQLException {
        try (ResultSet rs = query.executeQuery()) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    @Override
    public void close() throws SQLException {
        connection.close();
    }
}
