package io.kedge.openapi;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Input checks shared by both document builders. */
final class ServedResources {
    private ServedResources() {}

    static List<ServedResource> checked(List<ServedResource> resources) {
        if (resources == null) {
            throw new IllegalArgumentException("served resources must not be null");
        }
        Set<String> seen = new HashSet<>();
        for (ServedResource r : resources) {
            if (r == null) {
                throw new IllegalArgumentException("served resources must not contain null");
            }
            if (!seen.add(r.groupVersionPath() + "/" + r.plural())) {
                throw new IllegalArgumentException("resource " + r.plural() + " is served twice in "
                        + r.groupVersion());
            }
        }
        return List.copyOf(resources);
    }
}
