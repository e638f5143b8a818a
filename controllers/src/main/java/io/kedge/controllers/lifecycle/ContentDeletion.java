package io.kedge.controllers.lifecycle;

import java.util.List;
import java.util.Map;

/**
 * What one pass over a terminating namespace found: the discovery and delete failures, and what is
 * still there, counted per resource ("pods." for the core group, as upstream writes it) and per
 * finalizer that holds it.
 */
record ContentDeletion(List<String> discoveryFailures, List<String> deleteFailures,
                       Map<String, Integer> remainingByResource, Map<String, Integer> remainingByFinalizer) {

    /** True when the namespace may be finalized: everything discovered, deleted, and gone. */
    boolean complete() {
        return discoveryFailures.isEmpty() && deleteFailures.isEmpty() && remainingByResource.isEmpty();
    }
}
