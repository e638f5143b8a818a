package io.kedge.controllers.framework;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElector;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import io.fabric8.kubernetes.client.informers.SharedInformerFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a set of controllers while it holds a leader Lease, so that several servers can run side by
 * side and only one acts. Losing the lease stops the process's controllers for good: the process
 * is expected to exit and start afresh, as upstream components do.
 */
public final class ControllerManager implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ControllerManager.class);
    public static final Duration LEASE_DURATION = Duration.ofSeconds(15);

    private final KubernetesClient client;
    private final String leaseName;
    private final String identity;
    private final List<Function<ControllerContext, Controller>> factories;
    private final ControllerContext.Options options;
    private final Runnable onLostLease;
    private final List<Controller> running = new ArrayList<>();
    private SharedInformerFactory informers;
    private CompletableFuture<?> election;
    private LeaderElector elector;
    /** Set by close(): losing the lease then is the plan, not a failure to exit on. */
    private volatile boolean closing;

    public ControllerManager(KubernetesClient client, String leaseName, String identity,
                             List<Function<ControllerContext, Controller>> factories,
                             ControllerContext.Options options, Runnable onLostLease) {
        this.client = client;
        this.leaseName = leaseName;
        this.identity = identity;
        this.factories = List.copyOf(factories);
        this.options = options;
        this.onLostLease = onLostLease;
    }

    public void start() {
        elector = client.leaderElector().withConfig(new LeaderElectionConfigBuilder()
                .withName(leaseName)
                .withLock(new LeaseLock("kube-system", leaseName, identity))
                .withLeaseDuration(LEASE_DURATION)
                .withRenewDeadline(Duration.ofSeconds(10))
                .withRetryPeriod(Duration.ofSeconds(2))
                .withReleaseOnCancel(true)
                .withLeaderCallbacks(new LeaderCallbacks(this::lead, this::stopLeading,
                        leader -> LOG.info("{}: the leader is {}", leaseName, leader)))
                .build()).build();
        election = elector.start();
    }

    private synchronized void lead() {
        LOG.info("{}: {} is the leader; starting {} controllers", leaseName, identity, factories.size());
        informers = client.informers();
        ControllerContext ctx = new ControllerContext(client, informers, new EventRecorder(client, leaseName, Clock.systemUTC()),
                Clock.systemUTC(), options);
        for (Function<ControllerContext, Controller> f : factories) {
            running.add(f.apply(ctx));
        }
        try {
            informers.startAllRegisteredInformers().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (java.util.concurrent.ExecutionException e) {
            LOG.error("{}: informers failed to sync: {}", leaseName, e.getCause().toString());
            onLostLease.run();
            return;
        }
        running.forEach(Controller::start);
    }

    private synchronized void stopLeading() {
        if (running.isEmpty() || closing) {
            return;
        }
        LOG.warn("{}: {} lost the leader lease; stopping its controllers", leaseName, identity);
        stopControllers();
        onLostLease.run();
    }

    private void stopControllers() {
        running.forEach(Controller::close);
        running.clear();
        if (informers != null) {
            informers.stopAllRegisteredInformers();
        }
    }

    @Override
    public void close() {
        closing = true;
        if (election != null) {
            election.cancel(true);
        }
        synchronized (this) {
            stopControllers();
        }
        // hand the lease over now, while the API is still up, so a peer need not wait out its duration
        try {
            if (elector != null) {
                elector.release();
            }
        } catch (RuntimeException e) {
            LOG.debug("{}: releasing the lease failed: {}", leaseName, e.toString());
        }
    }
}
