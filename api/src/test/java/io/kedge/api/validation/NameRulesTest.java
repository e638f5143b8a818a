package io.kedge.api.validation;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NameRulesTest {
    @Test
    void kindsUseTheNameRuleUpstreamGivesThem() {
        assertThat(NameRules.forKind("", "Pod")).isEqualTo(NameRule.DNS_SUBDOMAIN);
        assertThat(NameRules.forKind("", "ConfigMap")).isEqualTo(NameRule.DNS_SUBDOMAIN);
        assertThat(NameRules.forKind("apps", "Deployment")).isEqualTo(NameRule.DNS_SUBDOMAIN);
        assertThat(NameRules.forKind("", "Namespace")).isEqualTo(NameRule.DNS_LABEL);
        assertThat(NameRules.forKind("", "Service")).isEqualTo(NameRule.DNS1035_LABEL);
        assertThat(NameRules.forKind("apps", "StatefulSet")).isEqualTo(NameRule.DNS_LABEL);
        assertThat(NameRules.forKind("rbac.authorization.k8s.io", "ClusterRole")).isEqualTo(NameRule.PATH_SEGMENT);
        assertThat(NameRules.forKind("certificates.k8s.io", "CertificateSigningRequest"))
                .isEqualTo(NameRule.PATH_SEGMENT);
        assertThat(NameRules.forKind("edge.kedge.io", "EdgeUnit")).isEqualTo(NameRule.DNS_LABEL);
        assertThat(NameRules.forKind("example.com", "Widget")).isEqualTo(NameRule.DNS_SUBDOMAIN);
        assertThat(NameRules.forKind(null, "Pod")).isEqualTo(NameRule.DNS_SUBDOMAIN);
    }

    @Test
    void rbacNamesMayContainColonsAndCapitals() {
        assertThat(NameRule.PATH_SEGMENT.check("system:controller:Job", false)).isEmpty();
        assertThat(NameRule.DNS_SUBDOMAIN.check("system:controller:Job", false)).isNotEmpty();
    }

    @Test
    void generateNamePrefixesMayEndWithADash() {
        assertThat(NameRule.DNS_SUBDOMAIN.check("web-", true)).isEmpty();
        assertThat(NameRule.DNS_SUBDOMAIN.check("web-", false)).isNotEmpty();
        assertThat(NameRule.DNS_LABEL.check("web-", true)).isEmpty();
        assertThat(NameRule.DNS_LABEL.check("Web-", true)).isNotEmpty();
    }
}
