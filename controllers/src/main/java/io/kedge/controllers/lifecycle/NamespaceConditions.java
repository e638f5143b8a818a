package io.kedge.controllers.lifecycle;

import io.fabric8.kubernetes.api.model.NamespaceCondition;
import io.fabric8.kubernetes.api.model.NamespaceConditionBuilder;
import io.fabric8.kubernetes.api.model.NamespaceStatus;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The conditions a terminating namespace carries, with upstream's types, reasons and messages, so
 * that {@code kubectl describe ns} explains why a namespace is stuck in Terminating.
 */
final class NamespaceConditions {
    static final String DISCOVERY_FAILURE = "NamespaceDeletionDiscoveryFailure";
    static final String GROUP_VERSION_PARSING_FAILURE = "NamespaceDeletionGroupVersionParsingFailure";
    static final String CONTENT_FAILURE = "NamespaceDeletionContentFailure";
    static final String CONTENT_REMAINING = "NamespaceContentRemaining";
    static final String FINALIZERS_REMAINING = "NamespaceFinalizersRemaining";

    private NamespaceConditions() {}

    /**
     * Sets the five conditions on {@code status} from one deletion pass.
     *
     * @return true if anything changed, i.e. the status needs writing
     */
    static boolean apply(NamespaceStatus status, ContentDeletion pass, Instant clock) {
        String now = clock.truncatedTo(ChronoUnit.SECONDS).toString();
        List<NamespaceCondition> wanted = List.of(
                pass.discoveryFailures().isEmpty()
                        ? ok(DISCOVERY_FAILURE, "ResourcesDiscovered", "All resources successfully discovered")
                        : failing(DISCOVERY_FAILURE, "DiscoveryFailed", "Discovery failed for some groups, "
                                + pass.discoveryFailures().size() + " failing: " + String.join(", ", pass.discoveryFailures())),
                ok(GROUP_VERSION_PARSING_FAILURE, "ParsedGroupVersions", "All legacy kube types successfully parsed"),
                pass.deleteFailures().isEmpty()
                        ? ok(CONTENT_FAILURE, "ContentDeleted", "All content successfully deleted, may be waiting on finalization")
                        : failing(CONTENT_FAILURE, "ContentDeletionFailed", "Failed to delete all resource types, "
                                + pass.deleteFailures().size() + " remaining: "
                                + pass.deleteFailures().stream().sorted().collect(Collectors.joining(", "))),
                pass.remainingByResource().isEmpty()
                        ? ok(CONTENT_REMAINING, "ContentRemoved", "All content successfully removed")
                        : failing(CONTENT_REMAINING, "SomeResourcesRemain", "Some resources are remaining: "
                                + listing(pass.remainingByResource(), " has %d resource instances")),
                pass.remainingByFinalizer().isEmpty()
                        ? ok(FINALIZERS_REMAINING, "ContentRemoved", "All content successfully removed")
                        : failing(FINALIZERS_REMAINING, "SomeFinalizerRemain", "Some finalizers are remaining: "
                                + listing(pass.remainingByFinalizer(), " in %d resource instances")));
        List<NamespaceCondition> conditions = status.getConditions() == null ? new ArrayList<>() : status.getConditions();
        boolean changed = false;
        for (NamespaceCondition w : wanted) {
            NamespaceCondition old = conditions.stream().filter(c -> w.getType().equals(c.getType())).findFirst().orElse(null);
            if (old == null) {
                w.setLastTransitionTime(now);
                conditions.add(w);
                changed = true;
            } else if (!w.getStatus().equals(old.getStatus()) || !w.getReason().equals(old.getReason())
                    || !w.getMessage().equals(old.getMessage())) {
                if (!w.getStatus().equals(old.getStatus())) {
                    old.setLastTransitionTime(now);
                }
                old.setStatus(w.getStatus());
                old.setReason(w.getReason());
                old.setMessage(w.getMessage());
                changed = true;
            }
        }
        status.setConditions(conditions);
        return changed;
    }

    private static String listing(Map<String, Integer> counts, String format) {
        return counts.entrySet().stream().filter(e -> e.getValue() > 0)
                .map(e -> e.getKey() + String.format(format, e.getValue())).sorted().collect(Collectors.joining(", "));
    }

    private static NamespaceCondition ok(String type, String reason, String message) {
        return new NamespaceConditionBuilder().withType(type).withStatus("False").withReason(reason).withMessage(message).build();
    }

    private static NamespaceCondition failing(String type, String reason, String message) {
        return new NamespaceConditionBuilder().withType(type).withStatus("True").withReason(reason).withMessage(message).build();
    }
}
