package io.kedge.apiserver.http;

import io.kedge.api.ApiException;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * A resource path taken apart: {@code /api/v1/namespaces/ns/pods/name/status} or
 * {@code /apis/group/version/...}. Namespace subresources ({@code /namespaces/x/status},
 * {@code /finalize}) are told apart from namespaced resources by name.
 */
public record RequestInfo(String group, String version, String namespace, String resource, String name,
                          String subresource) {

    private static final Set<String> NAMESPACE_SUBRESOURCES = Set.of("status", "finalize");

    /** @return null when the path is not under a group-version (discovery roots and others). */
    public static RequestInfo parse(String path) {
        List<String> p = Arrays.stream(path.split("/")).filter(s -> !s.isEmpty()).toList();
        int i;
        String group;
        String version;
        if (p.size() >= 3 && p.get(0).equals("api")) {
            group = "";
            version = p.get(1);
            i = 2;
        } else if (p.size() >= 4 && p.get(0).equals("apis")) {
            group = p.get(1);
            version = p.get(2);
            i = 3;
        } else {
            return null;
        }
        List<String> rest = p.subList(i, p.size());
        if (rest.get(0).equals("namespaces") && rest.size() >= 3 && !(rest.size() == 3
                && NAMESPACE_SUBRESOURCES.contains(rest.get(2)))) {
            String ns = rest.get(1);
            List<String> r = rest.subList(2, rest.size());
            if (r.size() > 3) {
                throw ApiException.notFound("the path " + path + " has too many segments");
            }
            return new RequestInfo(group, version, ns, r.get(0), r.size() > 1 ? r.get(1) : null, r.size() > 2 ? r.get(2) : null);
        }
        if (rest.size() > 3) {
            throw ApiException.notFound("the path " + path + " has too many segments");
        }
        return new RequestInfo(group, version, null, rest.get(0), rest.size() > 1 ? rest.get(1) : null,
                rest.size() > 2 ? rest.get(2) : null);
    }
}
