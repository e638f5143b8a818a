package io.kedge.apiserver.authz;

import io.kedge.api.ApiException;
import io.kedge.apiserver.auth.ServiceAccounts;
import io.kedge.apiserver.auth.UserInfo;
import io.netty.handler.codec.http.HttpHeaders;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code kubectl --as}: a request with {@code Impersonate-*} headers acts as the user they name,
 * once the requester may {@code impersonate} each part of it (the user or service account, every
 * group, the uid, every extra value), as upstream checks them. Without the headers the requester
 * acts as itself; a request is never quietly run as the requester when it asked for someone else.
 */
public final class Impersonation {
    static final String USER = "Impersonate-User";
    static final String GROUP = "Impersonate-Group";
    static final String UID = "Impersonate-Uid";
    static final String EXTRA_PREFIX = "impersonate-extra-";
    private static final String AUTHENTICATION_GROUP = "authentication.k8s.io";
    private static final String ANONYMOUS = "system:anonymous";

    private Impersonation() {}

    /** Whether the request names anyone to act as. */
    public static boolean requested(HttpHeaders headers) {
        return headers.contains(USER) || headers.contains(GROUP) || headers.contains(UID)
                || headers.names().stream().anyMatch(n -> n.toLowerCase(Locale.ROOT).startsWith(EXTRA_PREFIX));
    }

    /**
     * The user the request acts as.
     *
     * @throws ApiException 400 for groups, uid or extras without a user; 403 for the first part
     *                      the requester may not impersonate
     */
    public static UserInfo actingUser(UserInfo requester, HttpHeaders headers, Authorizer authorizer) {
        String name = headers.get(USER);
        List<String> groups = headers.getAll(GROUP);
        String uid = headers.get(UID);
        Map<String, List<String>> extra = extras(headers);
        if (name == null || name.isEmpty()) {
            throw ApiException.badRequest("impersonation of groups, a uid or extra values needs " + USER + " as well");
        }
        Optional<String[]> serviceAccount = ServiceAccounts.parseUserName(name);
        if (serviceAccount.isPresent()) {
            allow(authorizer, Attributes.resource(requester, "impersonate", "", "serviceaccounts", "",
                    serviceAccount.get()[0], serviceAccount.get()[1]));
        } else {
            allow(authorizer, Attributes.resource(requester, "impersonate", "", "users", "", "", name));
        }
        for (String group : groups) {
            allow(authorizer, Attributes.resource(requester, "impersonate", "", "groups", "", "", group));
        }
        if (uid != null) {
            allow(authorizer, Attributes.resource(requester, "impersonate", AUTHENTICATION_GROUP, "uids", "", "", uid));
        }
        extra.forEach((key, values) -> values.forEach(value -> allow(authorizer,
                Attributes.resource(requester, "impersonate", AUTHENTICATION_GROUP, "userextras", key, "", value))));
        return new UserInfo(name, uid == null ? "" : uid, groupsOf(name, groups, serviceAccount), extra);
    }

    /** The groups asked for, plus those upstream always gives: service-account groups, and authenticated or not. */
    private static List<String> groupsOf(String name, List<String> asked, Optional<String[]> serviceAccount) {
        List<String> groups = new ArrayList<>(asked);
        if (serviceAccount.isPresent()) {
            addOnce(groups, "system:serviceaccounts");
            addOnce(groups, "system:serviceaccounts:" + serviceAccount.get()[0]);
        }
        addOnce(groups, ANONYMOUS.equals(name) ? "system:unauthenticated" : UserInfo.AUTHENTICATED);
        return groups;
    }

    private static void addOnce(List<String> groups, String group) {
        if (!groups.contains(group)) {
            groups.add(group);
        }
    }

    /** {@code Impersonate-Extra-<key>} headers; keys are lower-cased and percent-decoded, as upstream reads them. */
    private static Map<String, List<String>> extras(HttpHeaders headers) {
        Map<String, List<String>> extra = new LinkedHashMap<>();
        for (Map.Entry<String, String> h : headers) {
            String lower = h.getKey().toLowerCase(Locale.ROOT);
            if (lower.startsWith(EXTRA_PREFIX)) {
                String key = URLDecoder.decode(lower.substring(EXTRA_PREFIX.length()), StandardCharsets.UTF_8);
                extra.computeIfAbsent(key, k -> new ArrayList<>()).add(h.getValue());
            }
        }
        return extra;
    }

    private static void allow(Authorizer authorizer, Attributes a) {
        Decision d = authorizer.authorize(a);
        if (!d.allowed()) {
            throw Forbidden.of(a, d.reason());
        }
    }
}
