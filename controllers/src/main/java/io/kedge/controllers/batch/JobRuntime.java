package io.kedge.controllers.batch;

import io.kedge.controllers.framework.ControllerContext;

/** What every reconcile of the Job controller shares: the context, the settings, and what it remembers between reconciles. */
record JobRuntime(ControllerContext ctx, JobSettings settings, JobExpectations expectations, PodFailureBackoff backoff,
                  WrittenVersions written) {
}
