package io.kedge.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** The statements the group-commit writer runs, on its single connection. */
final class SqliteLogWriter implements AutoCloseable {
    static final byte[] NO_VALUE = new byte[0];

    /** A key's newest row. */
    record LiveRow(long revision, long createRevision, byte[] value) {
        KeyValue toKeyValue(String key) {
            return new KeyValue(key, value, createRevision, revision);
        }
    }

    private final Connection connection;
    private final PreparedStatement liveRow;
    private final PreparedStatement append;
    private final PreparedStatement setLive;
    private final PreparedStatement removeLive;
    private final PreparedStatement newestRevision;
    private final PreparedStatement compactedRevision;
    private final PreparedStatement setCompactedRevision;
    private final PreparedStatement compactSuperseded;
    private final PreparedStatement compactTombstones;

    SqliteLogWriter(Connection connection) throws SQLException {
        this.connection = connection;
        liveRow = connection.prepareStatement(SqliteSchema.LIVE_ROW);
        append = connection.prepareStatement(SqliteSchema.APPEND);
        setLive = connection.prepareStatement(SqliteSchema.SET_LIVE);
        removeLive = connection.prepareStatement(SqliteSchema.REMOVE_LIVE);
        newestRevision = connection.prepareStatement(SqliteSchema.NEWEST_REVISION);
        compactedRevision = connection.prepareStatement(SqliteSchema.COMPACTED_REVISION);
        setCompactedRevision = connection.prepareStatement(SqliteSchema.SET_COMPACTED_REVISION);
        compactSuperseded = connection.prepareStatement(SqliteSchema.COMPACT_SUPERSEDED);
        compactTombstones = connection.prepareStatement(SqliteSchema.COMPACT_TOMBSTONES);
    }

    /** The key's newest row, or null if the key does not exist. */
    LiveRow live(byte[] key) throws SQLException {
        liveRow.setBytes(1, key);
        try (ResultSet rs = liveRow.executeQuery()) {
            return rs.next() ? new LiveRow(rs.getLong(1), rs.getLong(2), rs.getBytes(3)) : null;
        }
    }

    /** Appends a put of a key that did not exist; the row's revision is its createRevision. */
    long appendCreate(byte[] key, byte[] value) throws SQLException {
        long revision = append(key, false, 0, 0, value);
        set(key, revision);
        return revision;
    }

    long appendUpdate(byte[] key, LiveRow previous, byte[] value) throws SQLException {
        long revision = append(key, false, previous.createRevision(), previous.revision(), value);
        set(key, revision);
        return revision;
    }

    long appendDelete(byte[] key, LiveRow previous) throws SQLException {
        long revision = append(key, true, previous.createRevision(), previous.revision(), NO_VALUE);
        removeLive.setBytes(1, key);
        removeLive.executeUpdate();
        return revision;
    }

    private long append(byte[] key, boolean deleted, long createRevision, long prevRevision, byte[] value)
            throws SQLException {
        append.setBytes(1, key);
        append.setInt(2, deleted ? 1 : 0);
        append.setLong(3, createRevision);
        append.setLong(4, prevRevision);
        append.setBytes(5, value);
        try (ResultSet rs = append.executeQuery()) {
            if (!rs.next()) {
                throw new SQLException("INSERT ... RETURNING gave no revision");
            }
            return rs.getLong(1);
        }
    }

    private void set(byte[] key, long revision) throws SQLException {
        setLive.setBytes(1, key);
        setLive.setLong(2, revision);
        setLive.executeUpdate();
    }

    long newestRevision() throws SQLException {
        return single(newestRevision);
    }

    long compactedRevision() throws SQLException {
        return single(compactedRevision);
    }

    /** Drops history in (from, to] that no later row needs, and records {@code to} as the floor. */
    void compact(long from, long to) throws SQLException {
        compactSuperseded.setLong(1, from);
        compactSuperseded.setLong(2, to);
        compactSuperseded.executeUpdate();
        compactTombstones.setLong(1, from);
        compactTombstones.setLong(2, to);
        compactTombstones.executeUpdate();
        setCompactedRevision.setLong(1, to);
        setCompactedRevision.executeUpdate();
    }

    void commit() throws SQLException {
        connection.commit();
    }

    /**
     * Undoes the batch. SQLite has already rolled it back by itself after some errors (a full disk:
     * SQLITE_FULL); the driver's rollback then fails before it begins the next transaction, which
     * would fail every later batch too, even once there is room again. That one is begun here.
     */
    void rollback() throws SQLException {
        try {
            connection.rollback();
        } catch (SQLException endedBySqlite) {
            try (java.sql.Statement begin = connection.createStatement()) {
                begin.execute("BEGIN");
            }
        }
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
