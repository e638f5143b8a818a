package io.kedge.apiserver.registry;

/** The parts of metav1.DeleteOptions the server honours. Null fields were not given. */
public record DeleteOptions(Long gracePeriodSeconds, String propagationPolicy, String preconditionUid,
                            String preconditionResourceVersion, boolean dryRun) {
    public static final DeleteOptions DEFAULT = new DeleteOptions(null, null, null, null, false);
}
