package io.kedge.kubelet.events;

import io.fabric8.kubernetes.api.model.Event;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The bounded queue between the pod workers and the one thread that posts events. Adding never
 * blocks: when it is full, the oldest event is dropped and counted, since a pod worker must not
 * wait for the API.
 */
final class EventQueue {
    private final int capacity;
    private final Deque<Event> events = new ArrayDeque<>();
    private long dropped;
    private boolean busy;

    EventQueue(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("an event queue needs room for at least one event, got " + capacity);
        }
        this.capacity = capacity;
    }

    synchronized void add(Event e) {
        if (events.size() >= capacity) {
            events.pollFirst();
            dropped++;
        }
        events.addLast(e);
        notifyAll();
    }

    /** The next event, waiting for one; the queue counts as busy until {@link #done}. */
    synchronized Event take() throws InterruptedException {
        while (events.isEmpty()) {
            wait();
        }
        busy = true;
        return events.pollFirst();
    }

    synchronized void done() {
        busy = false;
        notifyAll();
    }

    synchronized long dropped() {
        return dropped;
    }

    synchronized int size() {
        return events.size();
    }

    /** Waits until every added event has been taken and handled; false when {@code timeout} passed first. */
    synchronized boolean awaitIdle(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!events.isEmpty() || busy) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return true;
    }
}
