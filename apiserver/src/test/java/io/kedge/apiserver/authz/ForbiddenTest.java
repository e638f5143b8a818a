package io.kedge.apiserver.authz;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kedge.api.ApiException;
import io.kedge.apiserver.auth.UserInfo;
import java.util.List;
import org.junit.jupiter.api.Test;

class ForbiddenTest {
    private static final UserInfo ALICE = new UserInfo("alice", "", List.of());

    @Test
    void aNamespacedListNamesTheNamespaceAndTheStatusCarriesGroupAndResource() {
        ApiException e = Forbidden.of(Attributes.resource(ALICE, "list", "", "pods", "", "b", ""), "");
        assertThat(e.getMessage()).isEqualTo(
                "pods is forbidden: User \"alice\" cannot list resource \"pods\" in API group \"\" in the namespace \"b\"");
        ObjectNode status = e.toStatus();
        assertThat(status.path("reason").asText()).isEqualTo("Forbidden");
        assertThat(status.path("code").asInt()).isEqualTo(403);
        assertThat(status.path("details").path("kind").asText()).isEqualTo("pods");
        assertThat(status.path("details").has("name")).isFalse();
    }

    @Test
    void aNamedClusterScopedSubresourceRequestIsWordedAtTheClusterScope() {
        ApiException e = Forbidden.of(Attributes.resource(ALICE, "update", "apps", "deployments", "scale", "", "web"), "");
        assertThat(e.getMessage()).isEqualTo("deployments.apps \"web\" is forbidden: User \"alice\" cannot update resource "
                + "\"deployments/scale\" in API group \"apps\" at the cluster scope");
        assertThat(e.toStatus().path("details").path("group").asText()).isEqualTo("apps");
        assertThat(e.toStatus().path("details").path("name").asText()).isEqualTo("web");
    }

    @Test
    void aPathRequestAndAnAuthorizersReasonAreWordedAsUpstream() {
        assertThat(Forbidden.of(Attributes.nonResource(ALICE, "get", "/metrics"), "").getMessage())
                .isEqualTo("forbidden: User \"alice\" cannot get path \"/metrics\"");
        assertThat(Forbidden.of(Attributes.resource(ALICE, "get", "", "secrets", "", "a", "s"), "no relationship found")
                .getMessage()).endsWith("in the namespace \"a\": no relationship found");
    }
}
