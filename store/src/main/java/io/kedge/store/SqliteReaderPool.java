package io.kedge.store;

import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A fixed set of read-only connections; WAL lets them read while the writer commits. */
final class SqliteReaderPool implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SqliteReaderPool.class);

    interface Read<T> {
        T run(SqliteLogReader reader) throws SQLException;
    }

    private final List<SqliteLogReader> all = new ArrayList<>();
    private final BlockingQueue<SqliteLogReader> idle;

    SqliteReaderPool(Path file, int size) throws SQLException {
        idle = new ArrayBlockingQueue<>(size);
        try {
            for (int i = 0; i < size; i++) {
                SqliteLogReader reader = new SqliteLogReader(SqliteSchema.openReader(file));
                all.add(reader);
                idle.add(reader);
            }
        } catch (SQLException | RuntimeException e) {
            close();
            throw e;
        }
    }

    <T> T read(String what, Read<T> read) {
        SqliteLogReader reader;
        try {
            reader = idle.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException.StoreUnavailable("interrupted while waiting to " + what, e);
        }
        try {
            return read.run(reader);
        } catch (SQLException e) {
            throw new StoreException.StoreUnavailable("could not " + what + ": " + e.getMessage(), e);
        } finally {
            idle.add(reader);
        }
    }

    /** Closes every connection; callers must have stopped reading. */
    @Override
    public void close() {
        for (SqliteLogReader reader : all) {
            try {
                reader.close();
            } catch (SQLException e) {
                LOG.warn("closing a read connection failed", e);
            }
        }
    }
}
