package io.kedge.api.validation;

import java.util.Objects;

/**
 * Everything kind-specific about writing one kind.
 *
 * @param defaulter      runs on every write, before validation
 * @param rules          the kind's validation beyond metadata
 * @param createPreparer runs once on create, after the server assigned name and uid (e.g. a Job's selector)
 * @param updatePreparer carries stored values into an update before validation
 */
public record KindStrategy(ObjectDefaulter defaulter, KindRules rules, ObjectDefaulter createPreparer,
                           UpdatePreparer updatePreparer) {
    public static final KindStrategy PLAIN =
            new KindStrategy(ObjectDefaulter.NONE, KindRules.NONE, ObjectDefaulter.NONE, UpdatePreparer.NONE);

    public KindStrategy {
        Objects.requireNonNull(defaulter, "defaulter");
        Objects.requireNonNull(rules, "rules");
        Objects.requireNonNull(createPreparer, "createPreparer");
        Objects.requireNonNull(updatePreparer, "updatePreparer");
    }

    public static KindStrategy of(ObjectDefaulter defaulter, KindRules rules) {
        return new KindStrategy(defaulter, rules, ObjectDefaulter.NONE, UpdatePreparer.NONE);
    }

    public KindStrategy withCreatePreparer(ObjectDefaulter preparer) {
        return new KindStrategy(defaulter, rules, preparer, updatePreparer);
    }

    public KindStrategy withUpdatePreparer(UpdatePreparer preparer) {
        return new KindStrategy(defaulter, rules, createPreparer, preparer);
    }
}
