package io.kedge.hub;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class NodeScopeTest {
    private static String scoped(String method, String uri) {
        return NodeScope.scoped(new HubRequest(method, uri, Map.of(), new byte[0]), "shop-1").uri();
    }

    @Test
    void aPodListOrWatchWithoutTheNodeIsScopedToThisNode() {
        assertThat(scoped("GET", "/api/v1/namespaces/a/pods")).isEqualTo("/api/v1/namespaces/a/pods?fieldSelector=spec.nodeName%3Dshop-1");
        assertThat(scoped("GET", "/api/v1/pods?watch=true&fieldSelector=status.phase%3DRunning"))
                .isEqualTo("/api/v1/pods?watch=true&fieldSelector=status.phase%3DRunning%2Cspec.nodeName%3Dshop-1");
    }

    @Test
    void aListNamingANodeAnotherResourceOneObjectOrAWriteIsLeftAlone() {
        assertThat(scoped("GET", "/api/v1/pods?fieldSelector=spec.nodeName%3Dother")).isEqualTo("/api/v1/pods?fieldSelector=spec.nodeName%3Dother");
        assertThat(scoped("GET", "/api/v1/namespaces/a/configmaps")).isEqualTo("/api/v1/namespaces/a/configmaps");
        assertThat(scoped("GET", "/api/v1/namespaces/a/pods/web")).isEqualTo("/api/v1/namespaces/a/pods/web");
        assertThat(scoped("POST", "/api/v1/namespaces/a/pods")).isEqualTo("/api/v1/namespaces/a/pods");
    }
}
