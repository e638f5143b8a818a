package io.kedge.hub;

import io.kedge.api.selector.FieldSelector;
import io.kedge.api.selector.LabelSelector;

/**
 * What a LIST or WATCH asks for: a resource type, a namespace ("" for all or for cluster-scoped
 * types), and the selectors in canonical form, so that {@code a=1,b=2} and {@code b=2,a=1} are one
 * shape. The cache keeps one entry per client and shape.
 */
record ListShape(String resource, String namespace, String labelSelector, String fieldSelector) {

    static ListShape of(ApiPath path) {
        return new ListShape(path.gvr(), path.namespace(), canonicalLabels(path.param("labelSelector")),
                canonicalFields(path.param("fieldSelector")));
    }

    /** The key the cache stores this shape under. */
    String key() {
        return resource + "|" + namespace + "|" + labelSelector + "|" + fieldSelector;
    }

    LabelSelector labels() {
        return LabelSelector.parse(labelSelector);
    }

    FieldSelector fields() {
        return FieldSelector.parse(fieldSelector);
    }

    private static String canonicalLabels(String text) {
        return text == null || text.isBlank() ? "" : LabelSelector.parse(text).toString();
    }

    private static String canonicalFields(String text) {
        return text == null || text.isBlank() ? "" : FieldSelector.parse(text).toString();
    }
}
