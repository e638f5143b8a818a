package io.kedge.controllers.lifecycle;

import io.fabric8.kubernetes.api.model.APIGroup;
import io.fabric8.kubernetes.api.model.APIGroupList;
import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.GroupVersionForDiscovery;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What the server serves, from discovery: every group's resources, so that controllers can act on
 * resources they have no Java type for (custom resources included). Kept for a while and fetched
 * again when stale, or when a kind is asked for that the last fetch did not know.
 */
final class ApiResourceCatalog {
    private static final Duration MIN_REFETCH = Duration.ofSeconds(5);

    /** One discovery result: the preferred resources, lookups by kind, and the group-versions that failed. */
    record Snapshot(List<ApiResource> preferred, Map<String, ApiResource> byVersionKind,
                    Map<String, ApiResource> byGroupKind, List<String> failures, Instant fetchedAt) {}

    private final KubernetesClient client;
    private final Clock clock;
    private final Duration maxAge;
    private Snapshot snapshot;

    ApiResourceCatalog(KubernetesClient client, Clock clock, Duration maxAge) {
        this.client = client;
        this.clock = clock;
        this.maxAge = maxAge;
    }

    /** The last discovery result, fetched again if older than the catalog's maximum age. */
    synchronized Snapshot current() {
        if (snapshot == null || snapshot.fetchedAt().plus(maxAge).isBefore(clock.instant())) {
            snapshot = fetch();
        }
        return snapshot;
    }

    /** Discovery as the server has it now: for work that must not miss a just-added resource. */
    synchronized Snapshot fresh() {
        snapshot = fetch();
        return snapshot;
    }

    /**
     * The resource behind an ownerReference's apiVersion and kind. A version the server does not
     * serve falls back to the same group and kind in another version: all versions share storage.
     */
    Optional<ApiResource> forKind(String apiVersion, String kind) {
        Snapshot s = current();
        Optional<ApiResource> found = lookup(s, apiVersion, kind);
        if (found.isEmpty()) {
            synchronized (this) {
                if (snapshot.fetchedAt().plus(MIN_REFETCH).isBefore(clock.instant())) {
                    snapshot = fetch();
                }
                found = lookup(snapshot, apiVersion, kind);
            }
        }
        return found;
    }

    private static Optional<ApiResource> lookup(Snapshot s, String apiVersion, String kind) {
        ApiResource exact = s.byVersionKind().get(apiVersion + "|" + kind);
        if (exact != null) {
            return Optional.of(exact);
        }
        return Optional.ofNullable(s.byGroupKind().get(groupOf(apiVersion) + "|" + kind));
    }

    static String groupOf(String apiVersion) {
        int slash = apiVersion == null ? -1 : apiVersion.indexOf('/');
        return slash < 0 ? "" : apiVersion.substring(0, slash);
    }

    private Snapshot fetch() {
        List<ApiResource> preferred = new ArrayList<>();
        Map<String, ApiResource> byVersionKind = new HashMap<>();
        Map<String, ApiResource> byGroupKind = new HashMap<>();
        List<String> failures = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        List<String> groupVersions = new ArrayList<>(List.of("v1"));
        try {
            APIGroupList groups = client.getApiGroups();
            if (groups != null) {
                for (APIGroup g : groups.getGroups()) {
                    String preferredVersion = g.getPreferredVersion() == null ? null : g.getPreferredVersion().getGroupVersion();
                    if (preferredVersion != null) {
                        groupVersions.add(preferredVersion);
                    }
                    for (GroupVersionForDiscovery v : g.getVersions()) {
                        if (!v.getGroupVersion().equals(preferredVersion)) {
                            groupVersions.add(v.getGroupVersion());
                        }
                    }
                }
            }
        } catch (KubernetesClientException e) {
            failures.add("/apis: " + e.getMessage());
        }
        for (String gv : groupVersions) {
            List<APIResource> resources;
            try {
                var list = client.getApiResources(gv);
                resources = list == null ? List.of() : list.getResources();
            } catch (KubernetesClientException e) {
                failures.add(gv + ": " + e.getMessage());
                continue;
            }
            String group = groupOf(gv);
            String version = gv.substring(gv.indexOf('/') + 1);
            for (APIResource r : resources) {
                if (r.getName() == null || r.getName().contains("/") || r.getKind() == null) {
                    continue;
                }
                ApiResource res = new ApiResource(group, version, r.getName(), r.getKind(),
                        Boolean.TRUE.equals(r.getNamespaced()), Set.copyOf(r.getVerbs()));
                byVersionKind.putIfAbsent(gv + "|" + r.getKind(), res);
                byGroupKind.putIfAbsent(group + "|" + r.getKind(), res);
                if (seen.add(group + "/" + r.getName())) {
                    preferred.add(res);
                }
            }
        }
        return new Snapshot(List.copyOf(preferred), Map.copyOf(byVersionKind), Map.copyOf(byGroupKind),
                List.copyOf(failures), clock.instant());
    }
}
