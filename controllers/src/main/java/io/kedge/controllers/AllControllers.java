package io.kedge.controllers;

import io.kedge.controllers.batch.CronJobController;
import io.kedge.controllers.certificates.CsrCleaner;
import io.kedge.controllers.certificates.CsrSigningController;
import io.kedge.controllers.certificates.NodeCsrApprover;
import io.kedge.controllers.batch.JobController;
import io.kedge.controllers.disruption.DisruptionController;
import io.kedge.controllers.framework.Controller;
import io.kedge.controllers.framework.ControllerContext;
import io.kedge.controllers.lifecycle.EndpointSliceController;
import io.kedge.controllers.lifecycle.EndpointsController;
import io.kedge.controllers.lifecycle.GarbageCollector;
import io.kedge.controllers.lifecycle.NamespaceController;
import io.kedge.controllers.lifecycle.PodGarbageCollector;
import io.kedge.controllers.lifecycle.RootCaPublisher;
import io.kedge.controllers.lifecycle.ServiceAccountController;
import io.kedge.controllers.nodes.NodeIpamController;
import io.kedge.controllers.nodes.NodeLifecycleController;
import io.kedge.controllers.nodes.TaintEvictionController;
import io.kedge.controllers.scheduler.Scheduler;
import io.kedge.controllers.sets.DaemonSetController;
import io.kedge.controllers.sets.StatefulSetController;
import io.kedge.controllers.units.EdgeUnitController;
import io.kedge.controllers.units.UnitDeploymentController;
import io.kedge.controllers.workloads.DeploymentController;
import io.kedge.controllers.workloads.ReplicaSetController;
import java.util.List;
import java.util.function.Function;

/** The controllers {@code kedge controllers} runs, and the scheduler, each set under its own leader Lease. */
public final class AllControllers {
    public static final String CONTROLLERS_LEASE = "kedge-controllers";
    public static final String SCHEDULER_LEASE = "kedge-scheduler";

    private AllControllers() {}

    /** The controllers; CSR signing and node CSR approval only where the options hold the cluster CA. */
    public static List<Function<ControllerContext, Controller>> controllers(ControllerContext.Options options) {
        List<Function<ControllerContext, Controller>> all = new java.util.ArrayList<>(always());
        if (options.clusterSigning() != null) {
            all.add(CsrSigningController::create);
            all.add(NodeCsrApprover::create);
        }
        return all;
    }

    private static List<Function<ControllerContext, Controller>> always() {
        return List.of(
                DeploymentController::create,
                ReplicaSetController::create,
                DaemonSetController::create,
                StatefulSetController::create,
                JobController::create,
                CronJobController::create,
                EndpointsController::create,
                EndpointSliceController::create,
                NamespaceController::create,
                GarbageCollector::create,
                ServiceAccountController::create,
                RootCaPublisher::create,
                PodGarbageCollector::create,
                NodeLifecycleController::create,
                TaintEvictionController::create,
                NodeIpamController::create,
                DisruptionController::create,
                EdgeUnitController::create,
                UnitDeploymentController::create,
                CsrCleaner::create);
    }

    public static List<Function<ControllerContext, Controller>> scheduler() {
        return List.of(Scheduler::create);
    }
}
