package io.kedge.apiserver.authz;

import java.util.ArrayList;
import java.util.List;

/** Decides whether a request may proceed. */
@FunctionalInterface
public interface Authorizer {
    Decision authorize(Attributes attributes);

    /**
     * Asks each authorizer in turn; the first that allows or denies decides. When none has an
     * opinion the request is denied, and the reasons they gave are joined, as upstream's union does.
     */
    static Authorizer chain(List<Authorizer> members) {
        List<Authorizer> all = List.copyOf(members);
        return a -> {
            List<String> reasons = new ArrayList<>();
            for (Authorizer m : all) {
                Decision d = m.authorize(a);
                if (d.kind() != Decision.Kind.NO_OPINION) {
                    return d;
                }
                if (!d.reason().isEmpty()) {
                    reasons.add(d.reason());
                }
            }
            return Decision.noOpinion(String.join("\n", reasons));
        };
    }
}
