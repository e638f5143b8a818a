package io.kedge.apiserver.authz;

import io.kedge.api.selector.FieldSelector;
import io.kedge.apiserver.auth.UserInfo;

/**
 * What a request asks to do, as authorizers see it: a verb on a resource (group, resource,
 * subresource, namespace, name) or on a non-resource path. Empty strings stand for "none"
 * (cluster scope, no name). The field selector is the one of a list or watch, so that an authorizer
 * may allow a list only when it is narrowed (a node listing its own pods).
 */
public record Attributes(UserInfo user, String verb, boolean resourceRequest, String apiGroup, String resource,
                         String subresource, String namespace, String name, String path, FieldSelector fieldSelector) {

    public Attributes {
        apiGroup = orEmpty(apiGroup);
        resource = orEmpty(resource);
        subresource = orEmpty(subresource);
        namespace = orEmpty(namespace);
        name = orEmpty(name);
        path = orEmpty(path);
        fieldSelector = fieldSelector == null ? FieldSelector.everything() : fieldSelector;
    }

    public static Attributes resource(UserInfo user, String verb, String apiGroup, String resource, String subresource,
                                      String namespace, String name) {
        return new Attributes(user, verb, true, apiGroup, resource, subresource, namespace, name, "", null);
    }

    public static Attributes nonResource(UserInfo user, String verb, String path) {
        return new Attributes(user, verb, false, "", "", "", "", "", path, null);
    }

    public Attributes withFieldSelector(FieldSelector selector) {
        return new Attributes(user, verb, resourceRequest, apiGroup, resource, subresource, namespace, name, path, selector);
    }

    public Attributes withVerb(String otherVerb) {
        return new Attributes(user, otherVerb, resourceRequest, apiGroup, resource, subresource, namespace, name, path,
                fieldSelector);
    }

    /** {@code resource/subresource}, the form rules name it in. */
    public String resourceWithSubresource() {
        return subresource.isEmpty() ? resource : resource + "/" + subresource;
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }
}
