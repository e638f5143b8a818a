package io.kedge.openapi;

import java.util.Map;
import java.util.Optional;

/** The handful of merge keys kubectl users meet first: containers, env, ports, finalizers. */
final class DefaultPatchStrategies implements PatchStrategies {
    static final DefaultPatchStrategies INSTANCE = new DefaultPatchStrategies();

    private static final String CORE = "io.k8s.api.core.v1.";
    private static final Map<String, Strategy> TABLE = Map.of(
            CORE + "PodSpec.containers", new Strategy("name", "merge"),
            CORE + "PodSpec.initContainers", new Strategy("name", "merge"),
            CORE + "Container.env", new Strategy("name", "merge"),
            CORE + "Container.ports", new Strategy("containerPort", "merge"),
            CORE + "ServiceSpec.ports", new Strategy("port", "merge"),
            DefinitionNames.OBJECT_META + ".finalizers", new Strategy(null, "merge"));

    private DefaultPatchStrategies() {}

    @Override
    public Optional<Strategy> lookup(String definitionName, String fieldName) {
        return Optional.ofNullable(TABLE.get(definitionName + "." + fieldName));
    }
}
