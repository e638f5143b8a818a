package io.kedge.apiserver.authz;

import io.kedge.api.ApiException;

/** The 403 a denied request gets, worded as upstream words it, so that scripts matching on it keep working. */
public final class Forbidden {
    private Forbidden() {}

    public static ApiException of(Attributes a, String reason) {
        String why = message(a) + (reason == null || reason.isEmpty() ? "" : ": " + reason);
        return a.resourceRequest() ? ApiException.forbidden(a.apiGroup(), a.resource(), a.name(), why)
                : ApiException.forbidden(null, null, null, why);
    }

    /** {@code User "alice" cannot list resource "pods" in API group "" in the namespace "b"} and its variants. */
    public static String message(Attributes a) {
        String user = a.user() == null ? "" : a.user().name();
        if (!a.resourceRequest()) {
            return "User \"" + user + "\" cannot " + a.verb() + " path \"" + a.path() + "\"";
        }
        String head = "User \"" + user + "\" cannot " + a.verb() + " resource \"" + a.resourceWithSubresource()
                + "\" in API group \"" + a.apiGroup() + "\"";
        return a.namespace().isEmpty() ? head + " at the cluster scope" : head + " in the namespace \"" + a.namespace() + "\"";
    }
}
