package io.kedge.hub;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The hub's one SQLite file ({@code hub.db}: WAL, synchronous=FULL), shared by the cache and the
 * journal so that a local write and its journal entry commit in one transaction. Transactions
 * and reads are serialized on one connection.
 */
final class HubDatabase implements AutoCloseable {
    static final String FILE = "hub.db";
    /** How many replayed journal entries and gone objects are kept, for the record, across restarts. */
    private static final int KEPT_ROWS = 10_000;

    private final Connection db;
    private final Path file;

    private HubDatabase(Connection db, Path file) {
        this.db = db;
        this.file = file;
    }

    static HubDatabase open(Path dir) throws IOException {
        Files.createDirectories(dir);
        try {
            Connection db = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(FILE));
            try (Statement s = db.createStatement()) {
                s.execute("PRAGMA journal_mode=WAL");
                s.execute("PRAGMA synchronous=FULL");
                s.execute("PRAGMA busy_timeout=5000");
                s.execute("CREATE TABLE IF NOT EXISTS objects(resource TEXT NOT NULL, namespace TEXT NOT NULL, name TEXT NOT NULL,"
                        + " rv TEXT, body BLOB NOT NULL, PRIMARY KEY(resource, namespace, name))");
                s.execute("CREATE TABLE IF NOT EXISTS shapes(client TEXT NOT NULL, shape TEXT NOT NULL, resource TEXT NOT NULL,"
                        + " namespace TEXT NOT NULL, label_selector TEXT NOT NULL, field_selector TEXT NOT NULL,"
                        + " list_kind TEXT, list_api_version TEXT, rv TEXT, PRIMARY KEY(client, shape))");
                s.execute("CREATE TABLE IF NOT EXISTS members(client TEXT NOT NULL, shape TEXT NOT NULL, namespace TEXT NOT NULL,"
                        + " name TEXT NOT NULL, PRIMARY KEY(client, shape, namespace, name))");
                // objects the hub saw go (a watch event, a list without them, the node's own deletion): a 404 offline
                s.execute("CREATE TABLE IF NOT EXISTS gone(resource TEXT NOT NULL, namespace TEXT NOT NULL, name TEXT NOT NULL,"
                        + " PRIMARY KEY(resource, namespace, name))");
                s.execute("CREATE TABLE IF NOT EXISTS documents(path TEXT PRIMARY KEY, content_type TEXT, body BLOB NOT NULL)");
                s.execute("CREATE TABLE IF NOT EXISTS journal(seq INTEGER PRIMARY KEY AUTOINCREMENT, method TEXT NOT NULL,"
                        + " path TEXT NOT NULL, content_type TEXT, body BLOB, created TEXT NOT NULL,"
                        + " done INTEGER NOT NULL DEFAULT 0, outcome TEXT)");
            }
            db.setAutoCommit(false);
            prune(db);
            db.commit();
            return new HubDatabase(db, dir.resolve(FILE));
        } catch (SQLException e) {
            throw new IOException("cannot open the hub's database " + dir.resolve(FILE) + ": " + e.getMessage(), e);
        }
    }

    /** Keeps the replayed part of the journal and the record of gone objects from growing without bound. */
    private static void prune(Connection db) throws SQLException {
        try (Statement s = db.createStatement()) {
            s.execute("DELETE FROM journal WHERE done=1 AND seq < (SELECT MAX(seq) FROM journal) - " + KEPT_ROWS);
            s.execute("DELETE FROM gone WHERE rowid < (SELECT MAX(rowid) FROM gone) - " + KEPT_ROWS);
        }
    }

    PreparedStatement prepareStatement(String sql) throws SQLException {
        return db.prepareStatement(sql);
    }

    PreparedStatement prepareStatement(String sql, int keys) throws SQLException {
        return db.prepareStatement(sql, keys);
    }

    /** The bytes on disk: the database and its write-ahead log. */
    long bytesOnDisk() {
        long total = 0;
        for (String suffix : new String[] {"", "-wal"}) {
            try {
                total += Files.size(file.resolveSibling(file.getFileName() + suffix));
            } catch (IOException missing) {
                // no WAL right after a checkpoint
            }
        }
        return total;
    }

    int count(String sql) {
        return read(() -> {
            try (Statement s = db.createStatement(); ResultSet r = s.executeQuery(sql)) {
                return r.next() ? r.getInt(1) : 0;
            }
        });
    }

    void exec(String sql, Object... args) throws SQLException {
        try (PreparedStatement q = db.prepareStatement(sql)) {
            bind(q, args);
            q.executeUpdate();
        }
    }

    static void bind(PreparedStatement q, Object... args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            q.setObject(i + 1, args[i]);
        }
    }

    interface Work {
        void run() throws SQLException;
    }

    interface Query<T> {
        T run() throws SQLException;
    }

    /** Runs {@code work} in one transaction, committed (synchronous=FULL: on disk) when this returns. */
    synchronized void tx(Work work) {
        try {
            work.run();
            db.commit();
        } catch (SQLException | RuntimeException e) {
            try {
                db.rollback();
            } catch (SQLException ignored) {
                // the connection is broken; the original error says why
            }
            throw new StorageException("the hub's database: " + e.getMessage(), e);
        }
    }

    synchronized <T> T read(Query<T> query) {
        try {
            T result = query.run();
            db.commit();
            return result;
        } catch (SQLException e) {
            throw new StorageException("the hub's database: " + e.getMessage(), e);
        }
    }

    static final class StorageException extends RuntimeException {
        StorageException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    @Override
    public synchronized void close() {
        try {
            db.close();
        } catch (SQLException e) {
            throw new StorageException("closing the hub's database: " + e.getMessage(), e);
        }
    }
}
