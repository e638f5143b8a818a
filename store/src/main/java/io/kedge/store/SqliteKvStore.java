package io.kedge.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded backend: one SQLite file in WAL mode (layout in {@link SqliteSchema}).
 * Writes go through a {@link GroupCommitWriter}, reads use a small pool of read-only
 * connections, and watches are served by a {@link WatchHub}. Only one store may have a file
 * open at a time.
 */
public final class SqliteKvStore implements KvStore {
    private static final Logger LOG = LoggerFactory.getLogger(SqliteKvStore.class);
    private static final int READERS = 4;

    private final Path file;
    private final StoreFileLock fileLock;
    private final SqliteLogWriter log;
    private final SqliteReaderPool readers;
    private final WatchHub hub;
    private final GroupCommitWriter writer;
    private final AtomicLong newestRevision;
    private final AtomicLong compactedRevision;
    private final AtomicBoolean closed = new AtomicBoolean();

    private SqliteKvStore(Path file, StoreFileLock fileLock, SqliteLogWriter log, SqliteReaderPool readers,
                          long newest, long compacted, int maxQueuedPerWatch) {
        this.file = file;
        this.fileLock = fileLock;
        this.log = log;
        this.readers = readers;
        this.newestRevision = new AtomicLong(newest);
        this.compactedRevision = new AtomicLong(compacted);
        this.hub = new WatchHub(readers, newest, maxQueuedPerWatch);
        this.writer = new GroupCommitWriter(log, "kedge-sqlite-writer", this::committed);
    }

    /** Opens (creating if needed) the store file, and its parent directories. */
    public static SqliteKvStore open(Path file) {
        return open(file, WatchHub.DEFAULT_MAX_QUEUED);
    }

    /** {@code maxQueuedPerWatch}: how many events a slow watch may have waiting before it rereads the log. */
    static SqliteKvStore open(Path file, int maxQueuedPerWatch) {
        if (file == null) {
            throw new IllegalArgumentException("the SQLite store path must not be null");
        }
        Path path = file.toAbsolutePath();
        StoreFileLock lock = null;
        SqliteLogWriter log = null;
        SqliteReaderPool readers = null;
        try {
            Files.createDirectories(path.getParent());
            lock = StoreFileLock.acquire(path);
            Connection connection = SqliteSchema.openWriter(path);
            log = new SqliteLogWriter(connection);
            long newest = log.newestRevision();
            long compacted = log.compactedRevision();
            log.commit();
            readers = new SqliteReaderPool(path, READERS);
            return new SqliteKvStore(path, lock, log, readers, newest, compacted, maxQueuedPerWatch);
        } catch (IOException | SQLException | RuntimeException e) {
            closeQuietly(readers);
            closeQuietly(log);
            closeQuietly(lock);
            if (e instanceof IllegalStateException ise) {
                throw ise;
            }
            throw new StoreException.StoreUnavailable("cannot open the SQLite store " + path + ": " + e.getMessage(), e);
        }
    }

    public Path file() {
        return file;
    }

    @Override
    public long currentRevision() {
        return newestRevision.get();
    }

    @Override
    public Optional<KeyValue> get(String key) {
        byte[] bytes = KeyBytes.key(key);
        ensureOpen();
        return readers.read("get " + key, r -> r.get(bytes, key));
    }

    @Override
    public RangeResult range(String prefix, String startAfter, int limit) {
        byte[] bytes = KeyBytes.prefix(prefix);
        KeyBytes.checkLimit(limit);
        ensureOpen();
        return readers.read("list " + prefix, r -> r.range(bytes, startAfter, limit));
    }

    @Override
    public long create(String key, byte[] value) throws StoreException.KeyExists {
        try {
            return commit(new WriteOp.Create(key, value));
        } catch (StoreException.KeyExists e) {
            throw e;
        } catch (StoreException e) {
            throw unexpected(e);
        }
    }

    @Override
    public long update(String key, byte[] value, long expectedModRevision)
            throws StoreException.NotFound, StoreException.Conflict {
        try {
            return commit(new WriteOp.Update(key, value, expectedModRevision));
        } catch (StoreException.NotFound | StoreException.Conflict e) {
            throw e;
        } catch (StoreException e) {
            throw unexpected(e);
        }
    }

    @Override
    public long delete(String key, long expectedModRevision) throws StoreException.NotFound, StoreException.Conflict {
        try {
            return commit(new WriteOp.Delete(key, expectedModRevision));
        } catch (StoreException.NotFound | StoreException.Conflict e) {
            throw e;
        } catch (StoreException e) {
            throw unexpected(e);
        }
    }

    @Override
    public Watch watch(String prefix, long afterRevision, Consumer<WatchEvent> listener,
                       Consumer<Exception> onFailure) throws StoreException.Compacted {
        KeyBytes.prefix(prefix);
        KeyBytes.checkRevision("afterRevision", afterRevision);
        if (listener == null || onFailure == null) {
            throw new IllegalArgumentException("a watch needs a listener and a failure handler");
        }
        ensureOpen();
        long floor = compactedRevision.get();
        if (afterRevision < floor) {
            throw new StoreException.Compacted(afterRevision, floor);
        }
        return hub.open(prefix, afterRevision, listener, onFailure);
    }

    @Override
    public void compact(long revision) {
        long floor;
        try {
            floor = commit(new WriteOp.Compact(revision));
        } catch (StoreException e) {
            throw unexpected(e);
        }
        compactedRevision.accumulateAndGet(floor, Math::max);
    }

    @Override
    public long compactedRevision() {
        return compactedRevision.get();
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        writer.close();
        hub.close();
        readers.close();
        closeQuietly(log);
        closeQuietly(fileLock);
    }

    private long commit(WriteOp op) throws StoreException {
        ensureOpen();
        writer.submit(op);
        return op.await();
    }

    /** On the writer thread, right after a batch commits and before its callers return. */
    private void committed(List<WatchEvent> events) {
        if (!events.isEmpty()) {
            newestRevision.set(events.get(events.size() - 1).revision());
            hub.publish(events);
        }
    }

    private void ensureOpen() {
        if (closed.get()) {
            throw new IllegalStateException("the store " + file + " is closed");
        }
    }

    private static IllegalStateException unexpected(StoreException e) {
        return new IllegalStateException("unexpected store failure: " + e.getMessage(), e);
    }

    private static void closeQuietly(AutoCloseable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (Exception e) {
            LOG.warn("closing {} failed", closeable, e);
        }
    }
}
