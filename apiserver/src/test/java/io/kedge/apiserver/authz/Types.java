package io.kedge.apiserver.authz;

import io.kedge.apiserver.registry.BuiltinTypes;
import io.kedge.apiserver.registry.ResourceType;
import io.kedge.apiserver.registry.ServiceIpAllocator;
import java.util.List;

/** Built-in resource types for tests, by group and plural. */
final class Types {
    private static final List<ResourceType> ALL = BuiltinTypes.all(new ServiceIpAllocator("10.43.0.0/16"));

    private Types() {}

    static ResourceType of(String group, String plural) {
        return ALL.stream().filter(t -> t.group().equals(group) && t.plural().equals(plural)).findFirst().orElseThrow();
    }
}
