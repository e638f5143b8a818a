package io.kedge.controllers;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.kedge.controllers.framework.ControllerContext;
import io.kedge.controllers.framework.ControllerManager;
import java.net.InetAddress;
import java.util.UUID;

/** Starts the controllers and the scheduler against a cluster, each under leader election. */
public final class Runner implements AutoCloseable {
    private final ControllerManager controllers;
    private final ControllerManager scheduler;

    /** @param onLostLease what to do when this process stops being the leader (exit, normally) */
    public Runner(KubernetesClient client, ControllerContext.Options options, Runnable onLostLease) {
        this(client, client, options, onLostLease);
    }

    /**
     * The controllers and the scheduler each on a client of its own, so that each can act under its
     * own identity.
     */
    public Runner(KubernetesClient controllersClient, KubernetesClient schedulerClient, ControllerContext.Options options,
                  Runnable onLostLease) {
        String identity = hostname() + "_" + UUID.randomUUID();
        this.controllers = new ControllerManager(controllersClient, AllControllers.CONTROLLERS_LEASE, identity,
                AllControllers.controllers(options), options, onLostLease);
        this.scheduler = new ControllerManager(schedulerClient, AllControllers.SCHEDULER_LEASE, identity,
                AllControllers.scheduler(), options, onLostLease);
    }

    public Runner start() {
        controllers.start();
        scheduler.start();
        return this;
    }

    private static String hostname() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return "kedge";
        }
    }

    @Override
    public void close() {
        scheduler.close();
        controllers.close();
    }
}
