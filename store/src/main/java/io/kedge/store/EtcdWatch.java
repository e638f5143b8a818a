package io.kedge.store;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.common.exception.CompactedException;
import io.etcd.jetcd.common.exception.ErrorCode;
import io.etcd.jetcd.common.exception.EtcdException;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchResponse;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One etcd watch. It reconnects on its own, from the last revision it received, rather than
 * relying on jetcd's resume, so a dropped stream can neither skip nor repeat a revision.
 * Every stream starts at (not after) the last revision received and drops what it has seen:
 * etcd then reports compaction exactly when a needed revision is gone.
 *
 * <p>Events are handed from the gRPC thread to a serial executor, so a slow listener never
 * stalls the client's event loop; that queue is unbounded.
 */
final class EtcdWatch implements KvStore.Watch {
    private static final Logger LOG = LoggerFactory.getLogger(EtcdWatch.class);
    private static final long FIRST_RETRY_MS = 250;
    private static final long MAX_RETRY_MS = 5_000;
    private static final Set<ErrorCode> TRANSIENT = EnumSet.of(ErrorCode.UNAVAILABLE, ErrorCode.DEADLINE_EXCEEDED,
            ErrorCode.CANCELLED, ErrorCode.ABORTED, ErrorCode.INTERNAL, ErrorCode.UNKNOWN, ErrorCode.RESOURCE_EXHAUSTED);

    private final Watch client;
    private final ByteSequence startKey;
    private final ByteSequence endKey;
    private final Consumer<WatchEvent> listener;
    private final Consumer<Exception> onFailure;
    private final Executor delivery;
    private final ScheduledExecutorService retries;
    private final Runnable onEnd;

    private final Object lock = new Object();
    private Watch.Watcher stream;
    private int generation;
    private long lastReceived;
    private long retryMs = FIRST_RETRY_MS;
    private boolean ended;
    private volatile boolean stopDelivery;

    EtcdWatch(Watch client, byte[] prefix, long afterRevision, Consumer<WatchEvent> listener,
              Consumer<Exception> onFailure, Executor pool, ScheduledExecutorService retries, Runnable onEnd) {
        this.client = client;
        this.startKey = ByteSequence.from(prefix.length == 0 ? new byte[] {0} : prefix);
        byte[] end = KeyBytes.prefixEnd(prefix);
        this.endKey = ByteSequence.from(end == null ? new byte[] {0} : end);
        this.listener = listener;
        this.onFailure = onFailure;
        this.delivery = new SerialExecutor(pool);
        this.retries = retries;
        this.onEnd = onEnd;
        this.lastReceived = afterRevision;
    }

    void start() {
        openStream();
    }

    /**
     * Opens a stream from the last revision received. Called without the lock: jetcd calls
     * {@link #failed} while holding its own lock, so taking ours first and then jetcd's could
     * deadlock.
     */
    private void openStream() {
        int streamGeneration;
        long from;
        synchronized (lock) {
            if (ended) {
                return;
            }
            streamGeneration = ++generation;
            from = Math.max(lastReceived, 1);
        }
        WatchOption option = WatchOption.builder().withRange(endKey).withRevision(from).withPrevKV(true).build();
        Watch.Watcher opened = client.watch(startKey, option, new Watch.Listener() {
            @Override
            public void onNext(WatchResponse response) {
                received(streamGeneration, response);
            }

            @Override
            public void onError(Throwable error) {
                failed(streamGeneration, error);
            }

            @Override
            public void onCompleted() {
                // Streams end through onError or close(); both are handled already.
            }
        });
        boolean current;
        synchronized (lock) {
            current = !ended && streamGeneration == generation;
            if (current) {
                stream = opened;
            }
        }
        if (!current) {
            opened.close();
        }
    }

    private void received(int streamGeneration, WatchResponse response) {
        synchronized (lock) {
            if (ended || streamGeneration != generation) {
                return;
            }
            retryMs = FIRST_RETRY_MS;
            for (io.etcd.jetcd.watch.WatchEvent e : response.getEvents()) {
                long revision = e.getKeyValue().getModRevision();
                if (revision <= lastReceived) {
                    continue;
                }
                lastReceived = revision;
                WatchEvent event = toEvent(e);
                delivery.execute(() -> deliver(event));
            }
        }
    }

    private void failed(int streamGeneration, Throwable error) {
        synchronized (lock) {
            if (ended || streamGeneration != generation) {
                return;
            }
            generation++;
            Watch.Watcher broken = stream;
            stream = null;
            if (error instanceof CompactedException compacted) {
                end(broken, new StoreException.Compacted(lastReceived, compacted.getCompactedRevision()));
            } else if (error instanceof EtcdException etcd && TRANSIENT.contains(etcd.getErrorCode())) {
                long delay = retryMs;
                retryMs = Math.min(retryMs * 2, MAX_RETRY_MS);
                LOG.info("etcd watch on {} broke ({}); reconnecting from revision {} in {} ms",
                        startKey, error.getMessage(), lastReceived, delay);
                schedule(() -> reconnect(broken), delay);
            } else {
                end(broken, new StoreException.StoreUnavailable("etcd watch failed: " + error.getMessage(), error));
            }
        }
    }

    private void reconnect(Watch.Watcher broken) {
        closeQuietly(broken);
        try {
            openStream();
        } catch (RuntimeException e) {
            synchronized (lock) {
                if (!ended) {
                    end(null, new StoreException.StoreUnavailable("etcd watch could not reconnect: " + e.getMessage(), e));
                }
            }
        }
    }

    private static void closeQuietly(Watch.Watcher watcher) {
        if (watcher != null) {
            watcher.close();
        }
    }

    /** Under the lock: no more events; the failure is reported after those already queued. */
    private void end(Watch.Watcher broken, Exception failure) {
        ended = true;
        onEnd.run();
        schedule(() -> closeQuietly(broken), 0);
        delivery.execute(() -> {
            if (!stopDelivery) {
                stopDelivery = true;
                report(failure);
            }
        });
    }

    private void schedule(Runnable task, long delayMs) {
        try {
            retries.schedule(task, delayMs, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            LOG.debug("the store is closing; dropping a watch retry");
        }
    }

    private void deliver(WatchEvent event) {
        if (stopDelivery) {
            return;
        }
        try {
            listener.accept(event);
        } catch (RuntimeException e) {
            stopDelivery = true;
            close();
            report(e);
        }
    }

    private void report(Exception failure) {
        try {
            onFailure.accept(failure);
        } catch (RuntimeException e) {
            LOG.warn("a watch failure handler threw", e);
        }
    }

    private static WatchEvent toEvent(io.etcd.jetcd.watch.WatchEvent e) {
        io.etcd.jetcd.KeyValue kv = e.getKeyValue();
        io.etcd.jetcd.KeyValue prev = e.getPrevKV();
        KeyValue prevKv = prev == null || prev.getModRevision() == 0 ? null : toKeyValue(prev);
        if (e.getEventType() == io.etcd.jetcd.watch.WatchEvent.EventType.DELETE) {
            String key = kv.getKey().toString(StandardCharsets.UTF_8);
            return new WatchEvent(WatchEvent.Type.DELETE, new KeyValue(key, new byte[0], 0, kv.getModRevision()), prevKv);
        }
        return new WatchEvent(WatchEvent.Type.PUT, toKeyValue(kv), prevKv);
    }

    static KeyValue toKeyValue(io.etcd.jetcd.KeyValue kv) {
        return new KeyValue(kv.getKey().toString(StandardCharsets.UTF_8), kv.getValue().getBytes(),
                kv.getCreateRevision(), kv.getModRevision());
    }

    @Override
    public void close() {
        stopDelivery = true;
        Watch.Watcher open;
        synchronized (lock) {
            if (ended) {
                return;
            }
            ended = true;
            generation++;
            open = stream;
        }
        onEnd.run();
        closeQuietly(open);
    }
}
