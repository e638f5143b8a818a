package io.kedge.hub;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ApiPathTest {
    @Test
    void aNamespacedSubresourceIsReadWithItsGroupVersionResourceAndName() {
        ApiPath p = ApiPath.parse("/api/v1/namespaces/default/pods/web/status?fieldManager=x");
        assertThat(p.gvr()).isEqualTo("/v1/pods");
        assertThat(p.namespace()).isEqualTo("default");
        assertThat(p.name()).isEqualTo("web");
        assertThat(p.subresource()).isEqualTo("status");
        assertThat(p.param("fieldManager")).isEqualTo("x");
    }

    @Test
    void aNamespacesStatusIsTheNamespaceObjectsSubresourceNotAResourceInIt() {
        ApiPath p = ApiPath.parse("/api/v1/namespaces/kube-system/status");
        assertThat(p.resource()).isEqualTo("namespaces");
        assertThat(p.name()).isEqualTo("kube-system");
        assertThat(p.subresource()).isEqualTo("status");
        assertThat(p.namespace()).isEmpty();
    }

    @Test
    void customResourcesAndLegacyWatchPathsAreResourcesToo() {
        ApiPath crd = ApiPath.parse("/apis/edge.kedge.io/v1alpha1/edgeunits?labelSelector=a%3Db");
        assertThat(crd.gvr()).isEqualTo("edge.kedge.io/v1alpha1/edgeunits");
        assertThat(crd.isCollection()).isTrue();
        assertThat(ListShape.of(crd).key()).isEqualTo("edge.kedge.io/v1alpha1/edgeunits||a=b|");
        ApiPath legacy = ApiPath.parse("/api/v1/watch/namespaces/default/pods");
        assertThat(legacy.isWatch()).isTrue();
        assertThat(legacy.namespace()).isEqualTo("default");
        assertThat(legacy.resource()).isEqualTo("pods");
    }

    @Test
    void discoveryAndVersionAreNotResources() {
        assertThat(ApiPath.parse("/apis/apps/v1").isResource()).isFalse();
        assertThat(ApiPath.parse("/version").isResource()).isFalse();
        assertThat(ApiPath.parse("/api").isResource()).isFalse();
    }

    @Test
    void selectorsInAnyOrderAreOneShape() {
        assertThat(ListShape.of(ApiPath.parse("/api/v1/pods?labelSelector=b%3D2,a%3D1")))
                .isEqualTo(ListShape.of(ApiPath.parse("/api/v1/pods?labelSelector=a%3D1,b%3D2")));
        assertThat(ListShape.of(ApiPath.parse("/api/v1/pods?labelSelector=a%3D1")))
                .isNotEqualTo(ListShape.of(ApiPath.parse("/api/v1/pods?labelSelector=a%3D2")));
    }

    @Test
    void readsAskTheCloudForJsonEvenWhenTheClientPrefersProtobuf() {
        Map<String, List<String>> headers = ApiHandler.jsonOnly(Map.of("Accept",
                List.of("application/vnd.kubernetes.protobuf, application/json"), "User-Agent", List.of("kube-proxy")));
        assertThat(headers).containsEntry("Accept", List.of("application/json")).containsEntry("User-Agent", List.of("kube-proxy"));
        assertThat(ApiHandler.jsonOnly(Map.of("Accept", List.of("application/json;as=Table;v=v1;g=meta.k8s.io"))))
                .containsEntry("Accept", List.of("application/json;as=Table;v=v1;g=meta.k8s.io"));
    }
}
