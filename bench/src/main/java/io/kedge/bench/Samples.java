package io.kedge.bench;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** Measured values of one kind (milliseconds, operations per second, ...), summarised by rank. */
final class Samples {
    private final List<Double> values = new ArrayList<>();

    synchronized void add(double value) {
        values.add(value);
    }

    synchronized void addAll(Samples other) {
        values.addAll(other.snapshot());
    }

    synchronized List<Double> snapshot() {
        return new ArrayList<>(values);
    }

    synchronized int count() {
        return values.size();
    }

    double median() {
        return percentile(50);
    }

    double p90() {
        return percentile(90);
    }

    double p99() {
        return percentile(99);
    }

    double max() {
        return percentile(100);
    }

    double min() {
        return percentile(0);
    }

    /** Nearest-rank percentile, so every reported figure is a value that was actually measured. */
    double percentile(double p) {
        List<Double> sorted = snapshot();
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        sorted.sort(null);
        int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
    }

    static Samples of(Collection<Double> values) {
        Samples s = new Samples();
        values.forEach(s::add);
        return s;
    }
}
