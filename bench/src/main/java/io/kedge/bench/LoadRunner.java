package io.kedge.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/** Runs one operation from a fixed number of threads, each issuing its next call as soon as the last returns. */
final class LoadRunner {
    private LoadRunner() {}

    /** One call; returns null on success, else a short failure description whose first word is its kind (e.g. the HTTP status). */
    interface Operation {
        String run(int worker, int iteration) throws Exception;
    }

    /** One call for item {@code index} of a fixed set. */
    interface IndexedOperation {
        String run(int index) throws Exception;
    }

    record Result(long successes, long failures, Duration elapsed, Samples latencyMs, Map<String, Long> failureKinds,
                  String firstFailure) {
        double perSecond() {
            return successes / (elapsed.toNanos() / 1e9);
        }
    }

    /** Every thread calls {@code op} until {@code duration} has passed. */
    static Result forDuration(int concurrency, Duration duration, Operation op) {
        long deadline = System.nanoTime() + duration.toNanos();
        return run(concurrency, (worker, iteration) -> System.nanoTime() < deadline, op);
    }

    /** Calls {@code op} once for each index in [from, to), spread over the threads. */
    static Result forEach(int concurrency, int from, int to, IndexedOperation op) {
        AtomicInteger next = new AtomicInteger(from);
        int[][] claimed = new int[concurrency][1];
        return run(concurrency, (worker, iteration) -> (claimed[worker][0] = next.getAndIncrement()) < to,
                (worker, iteration) -> op.run(claimed[worker][0]));
    }

    private interface Continue {
        boolean next(int worker, int iteration);
    }

    private static Result run(int concurrency, Continue more, Operation op) {
        AtomicLong successes = new AtomicLong();
        AtomicLong failures = new AtomicLong();
        Map<String, Long> kinds = new ConcurrentHashMap<>();
        AtomicReference<String> first = new AtomicReference<>();
        Samples latency = new Samples();
        List<Thread> threads = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int w = 0; w < concurrency; w++) {
            int worker = w;
            Thread thread = new Thread(() -> {
                Samples mine = new Samples();
                for (int i = 0; more.next(worker, i); i++) {
                    long s = System.nanoTime();
                    String failure;
                    try {
                        failure = op.run(worker, i);
                    } catch (Exception e) {
                        failure = "exception " + e;
                    }
                    if (failure == null) {
                        mine.add((System.nanoTime() - s) / 1e6);
                        successes.incrementAndGet();
                    } else {
                        failures.incrementAndGet();
                        kinds.merge(failure.split(" ", 2)[0], 1L, Long::sum);
                        first.compareAndSet(null, failure);
                    }
                }
                latency.addAll(mine);
            }, "load-" + w);
            thread.start();
            threads.add(thread);
        }
        for (Thread t : threads) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for load threads", e);
            }
        }
        return new Result(successes.get(), failures.get(), Duration.ofNanos(System.nanoTime() - t0), latency,
                new TreeMap<>(kinds), first.get());
    }
}
