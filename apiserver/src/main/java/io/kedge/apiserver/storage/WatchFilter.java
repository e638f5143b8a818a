package io.kedge.apiserver.storage;

import io.kedge.api.selector.FieldSelector;
import io.kedge.api.selector.LabelSelector;

/** Namespace, label and field conditions on cached objects, evaluated without parsing JSON. */
public record WatchFilter(String namespace, LabelSelector labels, FieldSelector fields) {

    public boolean matches(CachedObject o) {
        if (o == null) {
            return false;
        }
        if (namespace != null && !namespace.equals(o.namespace())) {
            return false;
        }
        if (labels != null && !labels.matches(o.labels())) {
            return false;
        }
        return fields == null || fields.matches(f -> switch (f) {
            case "metadata.name" -> o.name();
            case "metadata.namespace" -> o.namespace() == null ? "" : o.namespace();
            default -> o.fields().getOrDefault(f, "");
        });
    }
}
