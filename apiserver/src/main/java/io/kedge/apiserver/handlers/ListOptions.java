package io.kedge.apiserver.handlers;

import io.kedge.api.ApiException;
import io.kedge.api.selector.FieldSelector;
import io.kedge.api.selector.LabelSelector;
import io.kedge.api.selector.SelectorException;
import io.kedge.apiserver.http.HttpExchange;
import io.kedge.apiserver.registry.ResourceType;
import io.kedge.apiserver.storage.WatchFilter;

/** The list and watch query parameters, validated. */
record ListOptions(WatchFilter filter, String resourceVersion, String resourceVersionMatch, int limit,
                   String continueToken, boolean bookmarks, Boolean sendInitialEvents, Long timeoutSeconds) {

    static ListOptions from(HttpExchange ex, ResourceType t, String namespace) {
        LabelSelector labels = null;
        FieldSelector fields = null;
        try {
            String ls = ex.param("labelSelector");
            if (ls != null && !ls.isBlank()) {
                labels = LabelSelector.parse(ls);
            }
            String fs = ex.param("fieldSelector");
            if (fs != null && !fs.isBlank()) {
                fields = FieldSelector.parse(fs);
                for (var r : fields.requirements()) {
                    String f = r.field();
                    if (!f.equals("metadata.name") && !f.equals("metadata.namespace") && !t.selectableFields().containsKey(f)) {
                        throw ApiException.badRequest("field label not supported: " + f);
                    }
                }
            }
        } catch (SelectorException e) {
            throw ApiException.badRequest(e.getMessage());
        }
        int limit = 0;
        String l = ex.param("limit");
        if (l != null && !l.isEmpty()) {
            try {
                limit = Integer.parseInt(l);
            } catch (NumberFormatException e) {
                throw ApiException.badRequest("limit must be a non-negative integer, got \"" + l + "\"");
            }
            if (limit < 0) {
                throw ApiException.badRequest("limit must be a non-negative integer, got \"" + l + "\"");
            }
        }
        String rvm = ex.param("resourceVersionMatch");
        if (rvm != null && !rvm.isEmpty() && !rvm.equals("Exact") && !rvm.equals("NotOlderThan")) {
            throw ApiException.badRequest("resourceVersionMatch must be Exact or NotOlderThan, got \"" + rvm + "\"");
        }
        String sie = ex.param("sendInitialEvents");
        Long timeout = null;
        String ts = ex.param("timeoutSeconds");
        if (ts != null && !ts.isEmpty()) {
            try {
                timeout = Long.parseLong(ts);
            } catch (NumberFormatException e) {
                throw ApiException.badRequest("timeoutSeconds must be an integer, got \"" + ts + "\"");
            }
        }
        return new ListOptions(new WatchFilter(namespace, labels, fields), ex.param("resourceVersion"),
                rvm == null || rvm.isEmpty() ? null : rvm, limit, ex.param("continue"), ex.flag("allowWatchBookmarks"),
                sie == null ? null : Boolean.parseBoolean(sie), timeout);
    }

    /** The numeric resourceVersion, or -1 when unset; "0" is 0. */
    long revision() {
        if (resourceVersion == null || resourceVersion.isEmpty()) {
            return -1;
        }
        try {
            long rv = Long.parseLong(resourceVersion);
            if (rv < 0) throw new NumberFormatException();
            return rv;
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("invalid resource version \"" + resourceVersion + "\": it must be a decimal number");
        }
    }
}
