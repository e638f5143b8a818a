package io.kedge.bench;

import java.util.ArrayList;
import java.util.List;

/** Benchmark 4: the server's resident memory in the states the other benchmarks leave it in. */
final class MemoryTable {
    private record Entry(String state, String heap, double rssMiB, double peakMiB, double heapUsedMiB,
                         double heapCommittedMiB, String startup) {}

    private final List<Entry> entries = new ArrayList<>();

    /** Collects twice, then samples RSS, peak RSS and the heap. */
    void sample(ServerProcess server, String heap, String state, boolean withStartup) {
        server.settleGc();
        double[] h = server.heapUsedAndCommittedMiB();
        Entry e = new Entry(state, heap == null ? "default" : heap, server.rssMiB(), server.peakRssMiB(), h[0], h[1],
                withStartup ? Report.fmt(server.startup().toMillis() / 1000.0) : "");
        entries.add(e);
        Log.info("memory: %s, -Xmx %s: RSS %.0f MiB (peak %.0f), heap used %.0f of %.0f MiB", e.state, e.heap,
                e.rssMiB, e.peakMiB, e.heapUsedMiB, e.heapCommittedMiB);
    }

    void write(Report report, String defaultHeapNote) {
        report.heading("4. Server memory (RSS from /proc/PID/status after two full GCs)");
        report.note(defaultHeapNote);
        report.note("");
        report.tableHeader("server state", "-Xmx", "VmRSS MiB", "VmHWM (peak) MiB", "heap used MiB",
                "heap committed MiB", "start to ready s");
        for (Entry e : entries) {
            report.row(e.state, e.heap, e.rssMiB, e.peakMiB, e.heapUsedMiB, e.heapCommittedMiB, e.startup);
        }
    }
}
