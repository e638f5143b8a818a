package io.kedge.controllers;

import io.kedge.controllers.framework.Controller;
import io.kedge.controllers.framework.ControllerContext;
import java.util.List;
import java.util.function.Function;

/** The controllers {@code kedge controllers} runs, and the scheduler, each set under its own leader Lease. */
public final class AllControllers {
    public static final String CONTROLLERS_LEASE = "kedge-controllers";
    public static final String SCHEDULER_LEASE = "kedge-scheduler";

    private AllControllers() {}

    public static List<Function<ControllerContext, Controller>> controllers() {
        return List.of();
    }

    public static List<Function<ControllerContext, Controller>> scheduler() {
        return List.of();
    }
}
