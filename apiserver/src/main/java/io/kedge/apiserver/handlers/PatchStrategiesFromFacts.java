package io.kedge.apiserver.handlers;

import io.kedge.api.patch.BuiltinPatchSchemas;
import io.kedge.api.patch.FieldStrategy;
import io.kedge.openapi.PatchStrategies;
import java.util.Map;
import java.util.Optional;

/**
 * The OpenAPI documents' patch extensions, from the same fact table the server's strategic merge
 * patch uses, so that kubectl's client-side merge and the server agree.
 */
final class PatchStrategiesFromFacts implements PatchStrategies {
    private final Map<String, Map<String, FieldStrategy>> facts = BuiltinPatchSchemas.factsByType();

    @Override
    public Optional<Strategy> lookup(String definitionName, String fieldName) {
        FieldStrategy f = facts.getOrDefault(definitionName, Map.of()).get(fieldName);
        if (f == null || f.strategy().extensionValue().isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Strategy(f.mergeKey(), f.strategy().extensionValue().get()));
    }
}
