package io.kedge.apiserver.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Namespaces are Active until deleted, then Terminating until the namespace controller has removed
 * their contents and cleared {@code spec.finalizers} through {@code /finalize}.
 */
final class NamespaceStrategy extends DelegatingStrategy {
    NamespaceStrategy(Strategy base) {
        super(base);
    }

    @Override
    public void prepareForCreate(ObjectNode obj) {
        super.prepareForCreate(obj);
        obj.putObject("status").put("phase", "Active");
    }

    @Override
    public void prepareForDelete(ObjectNode obj) {
        ((ObjectNode) obj.with("status")).put("phase", "Terminating");
    }

    @Override
    public boolean deletionBlocked(ObjectNode obj) {
        JsonNode f = obj.path("spec").path("finalizers");
        return super.deletionBlocked(obj) || (f.isArray() && !f.isEmpty());
    }
}
