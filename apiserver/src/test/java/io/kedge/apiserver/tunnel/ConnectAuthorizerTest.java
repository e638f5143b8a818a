package io.kedge.apiserver.tunnel;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kedge.apiserver.auth.UserInfo;
import io.kedge.apiserver.authz.Decision;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ConnectAuthorizerTest {
    private static final UserInfo ALICE = new UserInfo("alice", "", List.of());

    /** Alice holds exactly these verb/resource pairs. */
    private static ConnectAuthorizer holding(String... grants) {
        Set<String> held = Set.of(grants);
        return new ConnectAuthorizer(a -> held.contains(a.verb() + " " + a.resourceWithSubresource())
                ? Decision.allow("") : Decision.noOpinion());
    }

    @Test
    void aWebSocketExecNeedsCreateAsWellAsGet() {
        assertThatThrownBy(() -> holding("get pods/exec").authorize(ALICE, "get", "pods", "exec", "a", "web"))
                .hasMessage("pods \"web\" is forbidden: User \"alice\" cannot create resource \"pods/exec\" in API group \"\" "
                        + "in the namespace \"a\"");
        assertThatCode(() -> holding("get pods/exec", "create pods/exec").authorize(ALICE, "get", "pods", "exec", "a", "web"))
                .doesNotThrowAnyException();
        assertThatCode(() -> holding("create pods/portforward").authorize(ALICE, "create", "pods", "portforward", "a", "web"))
                .doesNotThrowAnyException();
    }

    @Test
    void logsNeedGetOnlyAndNodeProxyIsAskedAsNodesProxy() {
        assertThatCode(() -> holding("get pods/log").authorize(ALICE, "get", "pods", "log", "a", "web"))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> holding("get pods/log").authorize(ALICE, "get", "nodes", "proxy", null, "edge-1"))
                .hasMessage("nodes \"edge-1\" is forbidden: User \"alice\" cannot get resource \"nodes/proxy\" in API group \"\" "
                        + "at the cluster scope");
    }

    @Test
    void anUnauthenticatedCallerIsToldSo() {
        assertThatThrownBy(() -> holding().authorize(null, "get", "pods", "log", "a", "web")).hasMessage("Unauthorized");
    }
}
