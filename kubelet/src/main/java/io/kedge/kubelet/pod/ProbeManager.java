package io.kedge.kubelet.pod;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Probe;
import io.kedge.kubelet.cri.v1.ContainerStatus;
import io.kedge.kubelet.events.EventReasons;
import io.kedge.kubelet.events.EventRecorder;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the startup, liveness and readiness probes of running containers, one worker per container
 * and kind, with upstream's rules: liveness and readiness wait for startup to succeed; a container
 * is not ready until its readiness probe succeeds; a result flips only after successThreshold or
 * failureThreshold results in a row. A change of result asks for a sync of the pod.
 */
final class ProbeManager implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ProbeManager.class);

    enum Kind { STARTUP, LIVENESS, READINESS }

    private final ActionRunner actions;
    private final ScheduledExecutorService timer;
    private final ExecutorService pool;
    private final Consumer<String> onChange;
    private final EventRecorder events;
    private final Map<String, Worker> workers = new ConcurrentHashMap<>();
    private volatile boolean closed;

    ProbeManager(ActionRunner actions, ScheduledExecutorService timer, ExecutorService pool, Consumer<String> onChange,
            EventRecorder events) {
        this.actions = actions;
        this.events = events;
        this.timer = timer;
        this.pool = pool;
        this.onChange = onChange;
    }

    /** Probes the pod's running containers, and stops probing its containers that no longer run. */
    void sync(Pod pod, RuntimePod rp, String podIp) {
        String uid = PodSpecs.uid(pod);
        Set<String> live = new HashSet<>();
        for (ContainerStatus running : rp.running()) {
            String name = running.getLabelsMap().get(RuntimeLabels.CONTAINER_NAME);
            Optional<Container> spec = PodSpecs.longRunning(pod).stream().filter(c -> c.getName().equals(name)).findFirst();
            if (spec.isEmpty()) {
                continue;
            }
            for (Kind kind : Kind.values()) {
                Probe probe = probe(spec.get(), kind);
                if (probe == null) {
                    continue;
                }
                String key = key(running.getId(), kind);
                live.add(key);
                workers.computeIfAbsent(key, k -> {
                    Worker w = new Worker(pod, running.getId(), spec.get(), kind, probe, podIp);
                    w.schedule(Math.max(0, probe.getInitialDelaySeconds() == null ? 0 : probe.getInitialDelaySeconds()));
                    return w;
                });
            }
        }
        workers.entrySet().removeIf(e -> e.getValue().uid.equals(uid) && !live.contains(e.getKey()) && e.getValue().stop());
    }

    /** Ready unless a readiness probe has not (yet) succeeded, or startup has not. */
    boolean ready(ContainerStatus c) {
        Worker readiness = workers.get(key(c.getId(), Kind.READINESS));
        return started(c) && (readiness == null || readiness.passing);
    }

    /** Started unless a startup probe has not succeeded yet. */
    boolean started(ContainerStatus c) {
        Worker startup = workers.get(key(c.getId(), Kind.STARTUP));
        return startup == null || startup.passing;
    }

    /** The liveness or startup probe whose failure means the container must be restarted, if one failed. */
    Optional<Failure> failed(String containerId) {
        for (Kind kind : new Kind[] {Kind.LIVENESS, Kind.STARTUP}) {
            Worker w = workers.get(key(containerId, kind));
            if (w != null && w.failedForGood) {
                return Optional.of(new Failure(kind, w.lastMessage));
            }
        }
        return Optional.empty();
    }

    /** A probe that failed for good, and what it last said. */
    record Failure(Kind kind, String message) {
        /** As upstream's kubelet names it in the Killing event: "liveness", "startup". */
        String probe() {
            return kind.name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    void forget(String uid) {
        workers.entrySet().removeIf(e -> e.getValue().uid.equals(uid) && e.getValue().stop());
    }

    @Override
    public void close() {
        closed = true;
        workers.values().forEach(Worker::stop);
        workers.clear();
    }

    private static Probe probe(Container c, Kind kind) {
        return switch (kind) {
            case STARTUP -> c.getStartupProbe();
            case LIVENESS -> c.getLivenessProbe();
            case READINESS -> c.getReadinessProbe();
        };
    }

    private static String key(String containerId, Kind kind) {
        return containerId + "/" + kind;
    }

    private final class Worker {
        final Pod pod;
        final String uid;
        final String containerId;
        final Container container;
        final Kind kind;
        final Probe probe;
        final String podIp;
        /** Liveness passes until it fails; readiness and startup fail until they pass. */
        volatile boolean passing;
        volatile boolean failedForGood;
        volatile String lastMessage = "";
        volatile boolean stopped;
        int successes;
        int failures;

        Worker(Pod pod, String containerId, Container container, Kind kind, Probe probe, String podIp) {
            this.pod = pod;
            this.uid = PodSpecs.uid(pod);
            this.containerId = containerId;
            this.container = container;
            this.kind = kind;
            this.probe = probe;
            this.podIp = podIp;
            this.passing = kind == Kind.LIVENESS;
        }

        boolean stop() {
            stopped = true;
            return true;
        }

        void schedule(long delaySeconds) {
            if (stopped || closed) {
                return;
            }
            try {
                timer.schedule(() -> pool.execute(this::runOnce), delaySeconds, TimeUnit.SECONDS);
            } catch (RejectedExecutionException e) {
                stopped = true;
            }
        }

        private void runOnce() {
            if (stopped || closed) {
                return;
            }
            try {
                if (kind != Kind.STARTUP && !startupPassed()) {
                    return;
                }
                if (kind == Kind.STARTUP && passing) {
                    // a startup probe stops once it has succeeded
                    return;
                }
                ActionRunner.Outcome outcome = actions.probe(container, containerId, podIp, probe);
                record(outcome);
            } catch (RuntimeException e) {
                LOG.debug("{} probe of {} failed to run: {}", kind, containerId, e.toString());
                record(ActionRunner.Outcome.failed(e.getMessage()));
            } finally {
                schedule(period());
            }
        }

        private boolean startupPassed() {
            Worker startup = workers.get(key(containerId, Kind.STARTUP));
            return startup == null || startup.passing;
        }

        private void record(ActionRunner.Outcome outcome) {
            int successThreshold = probe.getSuccessThreshold() == null || probe.getSuccessThreshold() < 1 ? 1 : probe.getSuccessThreshold();
            int failureThreshold = probe.getFailureThreshold() == null || probe.getFailureThreshold() < 1 ? 3 : probe.getFailureThreshold();
            boolean before = passing;
            if (outcome.success()) {
                failures = 0;
                successes++;
                if (successes >= successThreshold) {
                    passing = true;
                }
            } else {
                successes = 0;
                failures++;
                lastMessage = kind.name().charAt(0) + kind.name().substring(1).toLowerCase() + " probe failed: " + outcome.message();
                events.container(pod, container, EventRecorder.WARNING, EventReasons.UNHEALTHY, lastMessage);
                if (failures >= failureThreshold) {
                    passing = false;
                    if (kind != Kind.READINESS) {
                        failedForGood = true;
                    }
                }
            }
            if (before != passing || failedForGood) {
                LOG.info("{} probe of container {} in pod {} now {}{}", kind, container.getName(), uid,
                        passing ? "passes" : "fails", passing ? "" : ": " + lastMessage);
                if (failedForGood) {
                    stopped = true;
                }
                onChange.accept(uid);
            }
        }

        private long period() {
            return probe.getPeriodSeconds() == null || probe.getPeriodSeconds() < 1 ? 10 : probe.getPeriodSeconds();
        }
    }
}
