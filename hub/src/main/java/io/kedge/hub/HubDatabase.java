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
import java.util.HashMap;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hub's one SQLite file ({@code hub.db}, in WAL mode), shared by the cache and the journal so
 * that a local write and its journal entry commit in one transaction. Transactions and reads are
 * serialized on one connection; work handed to {@link #later} runs on one writer thread, in the
 * order it was handed in, and before any transaction or read that starts after it was handed in.
 *
 * <p>Journal transactions ({@link #tx}) commit with synchronous=FULL: the node was told its write
 * is kept, so it must survive a power loss. Cache transactions ({@link #cacheTx}) commit with
 * synchronous=NORMAL, which in WAL mode skips the fsync of each commit. SQLite documents
 * (https://www.sqlite.org/pragma.html#pragma_synchronous, https://www.sqlite.org/wal.html) that
 * a WAL database under NORMAL stays consistent after a power loss or OS crash, losing at most the
 * last commits, and that commits survive an application crash (kill -9) whatever the setting:
 * the cache then holds a complete earlier state, never a torn one. The WAL is replayed as a
 * prefix, so a FULL commit also makes every NORMAL commit before it durable.
 */
final class HubDatabase implements AutoCloseable {
    static final String FILE = "hub.db";
    /** How many replayed journal entries and gone objects are kept, for the record, across restarts. */
    private static final int KEPT_ROWS = 10_000;

    private static final Logger LOG = LoggerFactory.getLogger(HubDatabase.class);

    private final Connection db;
    private final Path file;
    private final Queue<Runnable> pending = new ConcurrentLinkedQueue<>();
    private final ExecutorService writer = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "hub-cache-writer");
        t.setDaemon(true);
        return t;
    });
    /** Statements run once per cached item, prepared once; guarded by this. */
    private final Map<String, PreparedStatement> statements = new HashMap<>();
    /** The connection's synchronous setting: FULL (true) or NORMAL; guarded by this. */
    private boolean durable = true;
    /** Whether this thread is running pending work already (a task's own transaction must not start the next task). */
    private boolean draining;

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

    /** Runs one update; its statement is prepared once and kept, as the cache runs the same few for each item. */
    synchronized void exec(String sql, Object... args) throws SQLException {
        PreparedStatement q = statement(sql);
        bind(q, args);
        q.executeUpdate();
    }

    /**
     * A kept statement for {@code sql}, for use inside {@link #tx}, {@link #cacheTx} or {@link #read} only;
     * the caller closes its result sets but never the statement.
     */
    synchronized PreparedStatement statement(String sql) throws SQLException {
        PreparedStatement q = statements.get(sql);
        if (q == null) {
            q = db.prepareStatement(sql);
            statements.put(sql, q);
        }
        return q;
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
        drainPending();
        transaction(true, work);
    }

    /**
     * Runs {@code work} in one transaction of the cache, committed when this returns (synchronous=NORMAL:
     * consistent after a crash, and durable once the next FULL commit or checkpoint syncs the log).
     */
    synchronized void cacheTx(Work work) {
        drainPending();
        transaction(false, work);
    }

    /**
     * Runs {@code task} on the writer thread, after every task handed in before it. Any transaction or
     * read that starts after this returns runs it first, so a client that was answered after handing
     * in the recording of its answer, and asks again, sees it. A task that fails is logged and dropped.
     */
    void later(Runnable task) {
        pending.add(task);
        try {
            writer.execute(() -> {
                synchronized (this) {
                    drainPending();
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException closed) {
            pending.remove(task);
            LOG.debug("the hub's database is closed; a deferred write to its cache is dropped");
        }
    }

    /** Runs the tasks handed to {@link #later} and not yet run; the caller holds this. */
    private void drainPending() {
        if (draining) {
            return;
        }
        draining = true;
        try {
            for (Runnable task; (task = pending.poll()) != null; ) {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    LOG.warn("a deferred write to the hub's cache failed: {}", e.toString());
                }
            }
        } finally {
            draining = false;
        }
    }

    private void transaction(boolean fsync, Work work) {
        try {
            synchronous(fsync);
            work.run();
            db.commit();
        } catch (SQLException | RuntimeException e) {
            rollback();
            throw failure(e);
        }
    }

    /**
     * Ends the failed transaction. After some errors (SQLITE_FULL among them) SQLite has already
     * rolled it back itself; the driver's rollback then fails before it begins the next transaction,
     * and every later statement would fail with it. So the next one is begun here.
     */
    private void rollback() {
        try {
            db.rollback();
        } catch (SQLException endedBySqlite) {
            try (Statement begin = db.createStatement()) {
                begin.execute("BEGIN");
            } catch (SQLException e) {
                LOG.warn("the hub's database cannot begin a new transaction: {}", e.getMessage());
            }
        }
    }

    private StorageException failure(Exception e) {
        if (StorageException.diskFull(e)) {
            return new StorageException("the node's disk is full: the hub cannot write to " + file.getParent()
                    + " (free space there; nothing was recorded, so the request can be sent again)", e, true);
        }
        return new StorageException("the hub's database: " + e.getMessage(), e, false);
    }

    /**
     * Switches the connection's synchronous setting between transactions (SQLite refuses the switch
     * inside one; the driver keeps one open, so it is closed and opened around the switch).
     */
    private void synchronous(boolean fsync) throws SQLException {
        if (durable == fsync) {
            return;
        }
        db.setAutoCommit(true);
        try (Statement s = db.createStatement()) {
            s.execute(fsync ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL");
            durable = fsync;
        } finally {
            db.setAutoCommit(false);
        }
    }

    /** The connection's synchronous setting as SQLite reports it: 1 NORMAL, 2 FULL. */
    synchronized int synchronousLevel() {
        return read(() -> {
            try (Statement s = db.createStatement(); ResultSet r = s.executeQuery("PRAGMA synchronous")) {
                return r.next() ? r.getInt(1) : -1;
            }
        });
    }

    synchronized <T> T read(Query<T> query) {
        drainPending();
        try {
            T result = query.run();
            db.commit();
            return result;
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    /** The database could not do what it was asked; when the disk is full, the hub answers 507 and says so. */
    static final class StorageException extends RuntimeException {
        private final boolean diskFull;

        StorageException(String message, Throwable cause, boolean diskFull) {
            super(message, cause);
            this.diskFull = diskFull;
        }

        boolean diskFull() {
            return diskFull;
        }

        /** SQLite's SQLITE_FULL: the file could not grow (ENOSPC, or a quota). */
        static boolean diskFull(Throwable e) {
            for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
                if (t instanceof org.sqlite.SQLiteException q && q.getResultCode() == org.sqlite.SQLiteErrorCode.SQLITE_FULL) {
                    return true;
                }
                if (t.getMessage() != null && t.getMessage().contains("database or disk is full")) {
                    return true;
                }
            }
            return false;
        }
    }

    @Override
    public void close() {
        writer.shutdown();
        synchronized (this) {
            drainPending();
            closeConnection();
        }
    }

    private void closeConnection() {
        try {
            for (PreparedStatement q : statements.values()) {
                q.close();
            }
            db.close();
        } catch (SQLException e) {
            throw new StorageException("closing the hub's database: " + e.getMessage(), e, false);
        }
    }
}
