package io.kedge.api.schema;

import java.util.List;

/**
 * The fields pruning removed, sorted, as dotted paths with list indexes ({@code spec.ports[0].foo}).
 * With {@code fieldValidation=Strict} each one becomes {@code unknown field "<path>"}; with Warn, a warning.
 */
public record PruneResult(List<String> prunedPaths) {
    public PruneResult {
        prunedPaths = List.copyOf(prunedPaths);
    }

    public boolean isEmpty() {
        return prunedPaths.isEmpty();
    }
}
