package io.kedge.hub;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WatchKeyTest {
    private static WatchKey key(String uri, Map<String, List<String>> headers) {
        HubRequest request = new HubRequest("GET", uri, headers, new byte[0]);
        return WatchKey.of(request, request.path());
    }

    private static WatchKey key(String uri) {
        return key(uri, Map.of("Accept", List.of("application/vnd.kubernetes.protobuf;stream=watch, application/json")));
    }

    @Test
    void watchesDifferingOnlyInVersionTimeoutBookmarksAndSelectorOrderHaveOneKey() {
        WatchKey a = key("/api/v1/namespaces/ns/pods?watch=true&labelSelector=a%3D1,b%3D2&resourceVersion=5&timeoutSeconds=300");
        WatchKey b = key("/api/v1/namespaces/ns/pods?labelSelector=b%3D2,a%3D1&watch=1&resourceVersion=9&allowWatchBookmarks=true");
        WatchKey legacy = key("/api/v1/watch/namespaces/ns/pods?labelSelector=a%3D1,b%3D2");
        assertThat(a).isNotNull().isEqualTo(b).isEqualTo(legacy);
    }

    @Test
    void anotherNamespaceSelectorOrParameterThatChangesTheEventsIsAnotherKey() {
        WatchKey base = key("/api/v1/namespaces/ns/pods?watch=true&labelSelector=a%3D1");
        assertThat(key("/api/v1/namespaces/other/pods?watch=true&labelSelector=a%3D1")).isNotEqualTo(base);
        assertThat(key("/api/v1/namespaces/ns/pods?watch=true&labelSelector=a%3D2")).isNotEqualTo(base);
        assertThat(key("/api/v1/namespaces/ns/pods?watch=true&labelSelector=a%3D1&fieldSelector=spec.nodeName%3Dn"))
                .isNotEqualTo(base);
        assertThat(key("/api/v1/namespaces/ns/pods?watch=true&labelSelector=a%3D1&includeObject=None")).isNotEqualTo(base);
    }

    @Test
    void tablesWatchListsAndImpersonationAreNeverShared() {
        assertThat(key("/api/v1/pods?watch=true", Map.of("Accept", List.of("application/json;as=Table;v=v1;g=meta.k8s.io"))))
                .isNull();
        assertThat(key("/api/v1/pods?watch=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan")).isNull();
        assertThat(key("/api/v1/pods?watch=true", Map.of("Impersonate-User", List.of("someone")))).isNull();
        assertThat(key("/api/v1/pods?watch=true", Map.of())).as("no Accept header is plain JSON").isNotNull();
    }
}
