package io.kedge.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Keeps a second store from opening the same SQLite file: watches are fed from memory, so a
 * second writer's changes would never reach them. The OS drops the lock when the process dies.
 */
final class StoreFileLock implements AutoCloseable {
    private final FileChannel channel;
    private final FileLock lock;

    private StoreFileLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    static StoreFileLock acquire(Path storeFile) throws IOException {
        Path lockFile = storeFile.resolveSibling(storeFile.getFileName() + ".lock");
        FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        if (lock == null) {
            channel.close();
            throw new IllegalStateException("the store " + storeFile + " is already open (lock " + lockFile
                    + " is held by this or another process)");
        }
        return new StoreFileLock(channel, lock);
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            channel.close();
        }
    }
}
