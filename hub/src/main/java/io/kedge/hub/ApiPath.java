package io.kedge.hub;

import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.List;
import java.util.Map;

/**
 * A request path read the way the API server routes it: {@code /api/v1/...} or
 * {@code /apis/GROUP/VERSION/...}, then {@code [namespaces/NS/]RESOURCE[/NAME[/SUBRESOURCE]]}.
 * Anything else (discovery, {@code /version}, {@code /openapi}) is a non-resource path.
 *
 * @param group       "" for the core group
 * @param resource    the plural, or null for a non-resource path and for a group's discovery
 * @param namespace   "" for cluster-scoped requests and requests across all namespaces
 * @param name        null for collections
 * @param subresource null for the object itself
 */
record ApiPath(String path, String group, String version, String resource, String namespace, String name,
               String subresource, Map<String, List<String>> query, boolean legacyWatch) {

    static ApiPath parse(String uri) {
        QueryStringDecoder decoder = new QueryStringDecoder(uri);
        String path = decoder.path();
        Map<String, List<String>> query = decoder.parameters();
        List<String> s = List.of(path.replaceAll("^/+|/+$", "").split("/+"));
        int i;
        String group;
        String version;
        if (s.size() >= 2 && s.get(0).equals("api")) {
            group = "";
            version = s.get(1);
            i = 2;
        } else if (s.size() >= 3 && s.get(0).equals("apis")) {
            group = s.get(1);
            version = s.get(2);
            i = 3;
        } else {
            return new ApiPath(path, null, null, null, "", null, null, query, false);
        }
        boolean watch = false;
        if (i < s.size() && s.get(i).equals("watch")) {
            watch = true;
            i++;
        }
        List<String> rest = s.subList(i, s.size());
        String namespace = "";
        if (rest.size() >= 3 && rest.get(0).equals("namespaces")
                && !(rest.size() == 3 && (rest.get(2).equals("status") || rest.get(2).equals("finalize")))) {
            namespace = rest.get(1);
            rest = rest.subList(2, rest.size());
        }
        if (rest.isEmpty() || rest.size() > 3) {
            return new ApiPath(path, group, version, null, "", null, null, query, watch);
        }
        return new ApiPath(path, group, version, rest.get(0), namespace, rest.size() > 1 ? rest.get(1) : null,
                rest.size() > 2 ? rest.get(2) : null, query, watch);
    }

    boolean isResource() {
        return resource != null;
    }

    /** {@code group/version/resource}, the cache's name for a resource type. */
    String gvr() {
        return group + "/" + version + "/" + resource;
    }

    String param(String key) {
        List<String> values = query.get(key);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    boolean isWatch() {
        String w = param("watch");
        return legacyWatch || "true".equals(w) || "1".equals(w);
    }

    /** A GET of a collection (LIST or WATCH) rather than of one object. */
    boolean isCollection() {
        return isResource() && name == null;
    }

    /** A long-lived answer passed on as it comes: watches, and followed logs. */
    boolean isStream() {
        return isWatch() || "true".equals(param("follow"));
    }

    boolean is(String group, String resource, String subresource) {
        return this.group.equals(group) && resource.equals(this.resource) && java.util.Objects.equals(subresource, this.subresource);
    }
}
