package io.kedge.apiserver.authz;

import static org.assertj.core.api.Assertions.assertThat;

import io.kedge.apiserver.auth.UserInfo;
import java.util.List;
import org.junit.jupiter.api.Test;

class PolicyRuleTest {
    private static final UserInfo ALICE = new UserInfo("alice", "", List.of());

    private static Attributes res(String verb, String group, String resource, String sub, String name) {
        return Attributes.resource(ALICE, verb, group, resource, sub, "a", name);
    }

    @Test
    void verbGroupAndResourceMustAllMatch() {
        PolicyRule r = PolicyRule.resources(List.of("get", "list"), List.of(""), List.of("pods"));
        assertThat(r.matches(res("get", "", "pods", "", "p"))).isTrue();
        assertThat(r.matches(res("delete", "", "pods", "", "p"))).isFalse();
        assertThat(r.matches(res("get", "apps", "pods", "", "p"))).isFalse();
        assertThat(r.matches(res("get", "", "secrets", "", "p"))).isFalse();
    }

    @Test
    void aSubresourceIsMatchedOnlyByItsOwnNameOrStarSlashSub() {
        PolicyRule pods = PolicyRule.resources(List.of("get"), List.of(""), List.of("pods"));
        PolicyRule log = PolicyRule.resources(List.of("get"), List.of(""), List.of("pods/log"));
        PolicyRule anyStatus = PolicyRule.resources(List.of("get"), List.of(""), List.of("*/status"));
        assertThat(pods.matches(res("get", "", "pods", "log", "p"))).isFalse();
        assertThat(log.matches(res("get", "", "pods", "log", "p"))).isTrue();
        assertThat(log.matches(res("get", "", "pods", "", "p"))).isFalse();
        assertThat(anyStatus.matches(res("get", "", "nodes", "status", "n"))).isTrue();
        assertThat(anyStatus.matches(res("get", "", "nodes", "", "n"))).isFalse();
    }

    @Test
    void starsMatchEveryVerbGroupAndResource() {
        PolicyRule all = PolicyRule.resources(List.of("*"), List.of("*"), List.of("*"));
        assertThat(all.matches(res("escalate", "rbac.authorization.k8s.io", "roles", "", "r"))).isTrue();
        assertThat(all.matches(res("create", "", "pods", "exec", "p"))).isTrue();
        assertThat(all.matches(Attributes.nonResource(ALICE, "get", "/healthz"))).isFalse();
    }

    @Test
    void resourceNamesRestrictToThoseNamesAndNeverMatchAnUnnamedRequest() {
        PolicyRule r = PolicyRule.resources(List.of("get", "list"), List.of(""), List.of("configmaps")).withNames(List.of("cfg"));
        assertThat(r.matches(res("get", "", "configmaps", "", "cfg"))).isTrue();
        assertThat(r.matches(res("get", "", "configmaps", "", "other"))).isFalse();
        assertThat(r.matches(res("list", "", "configmaps", "", ""))).isFalse();
    }

    @Test
    void nonResourceUrlsMatchExactlyOrByPrefixBeforeATrailingStar() {
        PolicyRule r = PolicyRule.urls(List.of("get"), List.of("/version", "/apis/*"));
        assertThat(r.matches(Attributes.nonResource(ALICE, "get", "/version"))).isTrue();
        assertThat(r.matches(Attributes.nonResource(ALICE, "get", "/version/x"))).isFalse();
        assertThat(r.matches(Attributes.nonResource(ALICE, "get", "/apis/apps/v1"))).isTrue();
        assertThat(r.matches(Attributes.nonResource(ALICE, "get", "/apis"))).isFalse();
        assertThat(r.matches(Attributes.nonResource(ALICE, "post", "/version"))).isFalse();
        assertThat(r.matches(res("get", "", "pods", "", "p"))).isFalse();
    }

    @Test
    void breakdownSplitsIntoSingleVerbResourcePieces() {
        PolicyRule r = PolicyRule.resources(List.of("get", "list"), List.of("", "apps"), List.of("pods"));
        assertThat(r.breakdown()).hasSize(4)
                .contains(PolicyRule.resources(List.of("list"), List.of("apps"), List.of("pods")));
    }

    @Test
    void coverageHonoursStarsSubresourceStarsNamesAndUrlPrefixes() {
        PolicyRule piece = PolicyRule.resources(List.of("get"), List.of(""), List.of("pods/log"));
        assertThat(PolicyRule.resources(List.of("*"), List.of("*"), List.of("*")).covers(piece)).isTrue();
        assertThat(PolicyRule.resources(List.of("get"), List.of(""), List.of("*/log")).covers(piece)).isTrue();
        assertThat(PolicyRule.resources(List.of("get"), List.of(""), List.of("pods")).covers(piece)).isFalse();
        PolicyRule named = PolicyRule.resources(List.of("get"), List.of(""), List.of("secrets")).withNames(List.of("s"));
        assertThat(named.covers(PolicyRule.resources(List.of("get"), List.of(""), List.of("secrets")))).isFalse();
        assertThat(named.covers(PolicyRule.resources(List.of("get"), List.of(""), List.of("secrets")).withNames(List.of("s")))).isTrue();
        assertThat(PolicyRule.urls(List.of("get"), List.of("/apis/*")).covers(PolicyRule.urls(List.of("get"), List.of("/apis/x*"))))
                .isTrue();
        assertThat(PolicyRule.urls(List.of("get"), List.of("/apis")).covers(PolicyRule.urls(List.of("get"), List.of("/apis/*"))))
                .isFalse();
    }

    @Test
    void compactStringIsUpstreamsShortForm() {
        assertThat(PolicyRule.resources(List.of("get", "list"), List.of(""), List.of("pods")).compactString())
                .isEqualTo("{APIGroups:[\"\"], Resources:[\"pods\"], Verbs:[\"get\" \"list\"]}");
        assertThat(PolicyRule.urls(List.of("get"), List.of("/healthz")).compactString())
                .isEqualTo("{NonResourceURLs:[\"/healthz\"], Verbs:[\"get\"]}");
    }
}
