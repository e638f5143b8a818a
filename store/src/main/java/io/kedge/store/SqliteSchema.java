package io.kedge.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.sqlite.SQLiteConfig;

/**
 * The SQLite file layout and the SQL run against it.
 *
 * <p>{@code kv_log} holds one row per write; its AUTOINCREMENT id is the revision, so ids are
 * never reused, not even after the newest row is compacted away. A row stores its key's
 * createRevision (0 on the row that created the key) and the revision of the row it replaced
 * ({@code prev_revision}, 0 after an absence), which is how watches get prevKv. Deletes are
 * tombstone rows. {@code kv_live} maps each existing key to its newest row, so reads never
 * scan history. Keys are BLOBs so that SQLite orders them by their UTF-8 bytes, as etcd does.
 */
final class SqliteSchema {
    static final int VERSION = 1;

    private static final String[] DDL = {
        """
        CREATE TABLE IF NOT EXISTS kv_log (
          revision        INTEGER PRIMARY KEY AUTOINCREMENT,
          key             BLOB    NOT NULL,
          deleted         INTEGER NOT NULL,
          create_revision INTEGER NOT NULL,
          prev_revision   INTEGER NOT NULL,
          value           BLOB    NOT NULL
        )""",
        "CREATE TABLE IF NOT EXISTS kv_live (key BLOB PRIMARY KEY, revision INTEGER NOT NULL) WITHOUT ROWID",
        "CREATE TABLE IF NOT EXISTS kv_meta (name TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID",
        "INSERT OR IGNORE INTO kv_meta (name, value) VALUES ('compacted_revision', 0)",
    };

    /** The row's createRevision, where 0 means "this row created the key". */
    private static final String CREATED = "CASE WHEN %1$s.create_revision = 0 THEN %1$s.revision ELSE %1$s.create_revision END";

    static final String NEWEST_REVISION =
            "SELECT COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'kv_log'), 0)";
    static final String COMPACTED_REVISION =
            "SELECT value FROM kv_meta WHERE name = 'compacted_revision'";
    static final String SET_COMPACTED_REVISION =
            "UPDATE kv_meta SET value = ? WHERE name = 'compacted_revision'";

    static final String LIVE_ROW = "SELECT l.revision, " + CREATED.formatted("l") + ", l.value "
            + "FROM kv_live c JOIN kv_log l ON l.revision = c.revision WHERE c.key = ?";

    private static final String RANGE = "SELECT c.key, " + CREATED.formatted("l") + ", l.revision, l.value "
            + "FROM kv_live c JOIN kv_log l ON l.revision = c.revision WHERE c.key >= ? %s ORDER BY c.key LIMIT ?";
    static final String RANGE_BOUNDED = RANGE.formatted("AND c.key < ?");
    static final String RANGE_UNBOUNDED = RANGE.formatted("");

    private static final String HISTORY = "SELECT l.revision, l.key, l.deleted, " + CREATED.formatted("l") + ", l.value, "
            + "p.revision, " + CREATED.formatted("p") + ", p.value "
            + "FROM kv_log l LEFT JOIN kv_log p ON p.revision = l.prev_revision "
            + "WHERE l.revision > ? AND l.revision <= ? AND l.key >= ? %s ORDER BY l.revision LIMIT ?";
    static final String HISTORY_BOUNDED = HISTORY.formatted("AND l.key < ?");
    static final String HISTORY_UNBOUNDED = HISTORY.formatted("");

    static final String APPEND = "INSERT INTO kv_log (key, deleted, create_revision, prev_revision, value) "
            + "VALUES (?, ?, ?, ?, ?) RETURNING revision";
    static final String SET_LIVE = "INSERT OR REPLACE INTO kv_live (key, revision) VALUES (?, ?)";
    static final String REMOVE_LIVE = "DELETE FROM kv_live WHERE key = ?";

    /*
     * Compaction to R from floor F keeps, per key, the newest row at or below R unless it is a
     * tombstone. A superseded row's successor is always a row in (F, R] whose prev_revision
     * points at it (older successors were handled by earlier compactions), so both deletes
     * only walk the rows written since the last compaction.
     */
    static final String COMPACT_SUPERSEDED = "DELETE FROM kv_log WHERE revision IN "
            + "(SELECT prev_revision FROM kv_log WHERE revision > ? AND revision <= ? AND prev_revision > 0)";
    static final String COMPACT_TOMBSTONES =
            "DELETE FROM kv_log WHERE revision > ? AND revision <= ? AND deleted = 1";

    private SqliteSchema() {}

    /**
     * The one writing connection. WAL lets readers run beside it; synchronous=FULL fsyncs the
     * WAL at every commit, so an acknowledged write survives a power cut, not only a killed
     * process. Group commit pays that fsync once per batch.
     */
    static Connection openWriter(Path file) throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        config.setBusyTimeout(10_000);
        Connection c = config.createConnection("jdbc:sqlite:" + file);
        try {
            migrate(c);
            c.setAutoCommit(false);
            return c;
        } catch (SQLException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    static Connection openReader(Path file) throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.setReadOnly(true);
        config.setBusyTimeout(10_000);
        Connection c = config.createConnection("jdbc:sqlite:" + file);
        c.setAutoCommit(false);
        return c;
    }

    private static void migrate(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            int version;
            try (ResultSet rs = s.executeQuery("PRAGMA user_version")) {
                version = rs.next() ? rs.getInt(1) : 0;
            }
            if (version > VERSION) {
                throw new SQLException("store file has schema version " + version
                        + " but this kedge understands only up to " + VERSION);
            }
            for (String ddl : DDL) {
                s.execute(ddl);
            }
            s.execute("PRAGMA user_version = " + VERSION);
        }
    }
}
