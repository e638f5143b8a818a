package io.kedge.api.validation;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FormatsTest {
    @Test
    void dnsLabelsAreLowercaseAlphanumericsAndDashesUpTo63() {
        assertThat(Formats.dns1123Label("web-1")).isEmpty();
        assertThat(Formats.dns1123Label("1web")).isEmpty();
        assertThat(Formats.dns1123Label("Web")).hasSize(1);
        assertThat(Formats.dns1123Label("web.1")).hasSize(1);
        assertThat(Formats.dns1123Label("-web")).hasSize(1);
        assertThat(Formats.dns1123Label("a".repeat(63))).isEmpty();
        assertThat(Formats.dns1123Label("a".repeat(64))).containsExactly("must be no more than 63 characters");
    }

    @Test
    void subdomainsAllowDotsUpTo253() {
        assertThat(Formats.dns1123Subdomain("my.app-1")).isEmpty();
        assertThat(Formats.dns1123Subdomain("my..app")).hasSize(1);
        assertThat(Formats.dns1123Subdomain("app.")).hasSize(1);
        assertThat(Formats.dns1123Subdomain("a".repeat(254))).contains("must be no more than 253 characters");
    }

    @Test
    void dns1035LabelsMustStartWithALetter() {
        assertThat(Formats.dns1035Label("web")).isEmpty();
        assertThat(Formats.dns1035Label("1web")).hasSize(1);
    }

    @Test
    void pathSegmentsRejectOnlyDotsSlashesAndPercents() {
        assertThat(Formats.pathSegment("system:node:Edge_1", false)).isEmpty();
        assertThat(Formats.pathSegment(".", false)).containsExactly("may not be '.'");
        assertThat(Formats.pathSegment("..", false)).containsExactly("may not be '..'");
        assertThat(Formats.pathSegment("a/b", false)).containsExactly("may not contain '/'");
        assertThat(Formats.pathSegment("a%b", false)).containsExactly("may not contain '%'");
    }

    @Test
    void qualifiedNamesHaveAnOptionalSubdomainPrefix() {
        assertThat(Formats.qualifiedName("app")).isEmpty();
        assertThat(Formats.qualifiedName("kedge.io/unit")).isEmpty();
        assertThat(Formats.qualifiedName("My_Name.v1")).isEmpty();
        assertThat(Formats.qualifiedName("Kedge.io/unit")).anyMatch(m -> m.startsWith("prefix part"));
        assertThat(Formats.qualifiedName("/unit")).containsExactly("prefix part must be non-empty");
        assertThat(Formats.qualifiedName("kedge.io/")).containsExactly("name part must be non-empty");
        assertThat(Formats.qualifiedName("a/b/c")).hasSize(1);
        assertThat(Formats.qualifiedName("x".repeat(64))).containsExactly("name part must be no more than 63 characters");
        assertThat(Formats.qualifiedName("-app")).hasSize(1);
    }

    @Test
    void labelValuesMayBeEmpty() {
        assertThat(Formats.labelValue("")).isEmpty();
        assertThat(Formats.labelValue("v1.2_3")).isEmpty();
        assertThat(Formats.labelValue("a b")).hasSize(1);
        assertThat(Formats.labelValue("x".repeat(64))).contains("must be no more than 63 characters");
    }

    @Test
    void configKeysAllowUpperCaseAndRejectDotDot() {
        assertThat(Formats.configMapKey("APP_conf.yaml")).isEmpty();
        assertThat(Formats.configMapKey("a/b")).hasSize(1);
        assertThat(Formats.configMapKey("..")).contains("must not be '..'");
        assertThat(Formats.configMapKey("..data")).contains("must not start with '..'");
    }

    @Test
    void portNamesFollowIanaServiceNameRules() {
        assertThat(Formats.portName("http")).isEmpty();
        assertThat(Formats.portName("http-alt2")).isEmpty();
        assertThat(Formats.portName("8080")).contains("must contain at least one letter (a-z)");
        assertThat(Formats.portName("a--b")).contains("must not contain consecutive hyphens");
        assertThat(Formats.portName("-http")).contains("must not begin or end with a hyphen");
        assertThat(Formats.portName("HTTP")).hasSize(2);
        assertThat(Formats.portName("a".repeat(16))).contains("must be no more than 15 characters");
    }

    @Test
    void ipAddressesAreParsedWithoutResolvingNames() {
        assertThat(Formats.isIPv4("10.0.0.1")).isTrue();
        assertThat(Formats.isIPv4("10.0.0.01")).isFalse();
        assertThat(Formats.isIPv4("256.0.0.1")).isFalse();
        assertThat(Formats.isIPv6("2001:db8::1")).isTrue();
        assertThat(Formats.isIPv6("::")).isTrue();
        assertThat(Formats.isIPv6("::ffff:10.0.0.1")).isTrue();
        assertThat(Formats.isIPv6("1:2:3:4:5:6:7:8")).isTrue();
        assertThat(Formats.isIPv6("1:2:3:4:5:6:7:8:9")).isFalse();
        assertThat(Formats.isIPv6("1::2::3")).isFalse();
        assertThat(Formats.isIPv6("12345::")).isFalse();
        assertThat(Formats.isIP("localhost")).isFalse();
        assertThat(Formats.isIP("example.com")).isFalse();
    }

    @Test
    void cidrsNeedAnAddressAndAPrefixLengthInRange() {
        assertThat(Formats.cidr("10.244.0.0/24")).isEmpty();
        assertThat(Formats.cidr("fd00::/64")).isEmpty();
        assertThat(Formats.cidr("10.244.0.0/33")).hasSize(1);
        assertThat(Formats.cidr("10.244.0.0")).hasSize(1);
    }

    @Test
    void percentagesAreDigitsAndAPercentSign() {
        assertThat(Formats.isPercent("25%")).isTrue();
        assertThat(Formats.isPercent("25")).isFalse();
        assertThat(Formats.isPercent("2.5%")).isFalse();
    }

    @Test
    void environmentNamesAreAnyPrintableAsciiButEquals() {
        assertThat(Formats.envVarName("MY_VAR.1")).isEmpty();
        assertThat(Formats.envVarName("1-abc")).isEmpty();
        assertThat(Formats.envVarName("A=B")).hasSize(1);
        assertThat(Formats.envVarName("tab\there")).hasSize(1);
    }
}
