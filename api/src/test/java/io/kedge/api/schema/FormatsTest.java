package io.kedge.api.schema;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FormatsTest {
    @Test
    void dateTimeTakesRfc3339AndItsCommonVariants() {
        assertThat(Formats.accepts("date-time", "2024-02-29T23:59:59.123456789+01:00")).isTrue();
        assertThat(Formats.accepts("datetime", "2024-05-01T10:00:00Z")).isTrue();
        assertThat(Formats.accepts("date-time", "2024-05-01 10:00")).isTrue();
        assertThat(Formats.accepts("date-time", "2023-02-29T10:00:00Z")).isFalse();
        assertThat(Formats.accepts("date-time", "2024-05-01T25:00:00Z")).isFalse();
        assertThat(Formats.accepts("date-time", "yesterday")).isFalse();
    }

    @Test
    void dateAndDuration() {
        assertThat(Formats.accepts("date", "2024-12-31")).isTrue();
        assertThat(Formats.accepts("date", "2024-13-01")).isFalse();
        assertThat(Formats.accepts("duration", "1h30m")).isTrue();
        assertThat(Formats.accepts("duration", "3 days")).isTrue();
        assertThat(Formats.accepts("duration", "soon")).isFalse();
    }

    @Test
    void byteIsPaddedBase64() {
        assertThat(Formats.accepts("byte", "aGVsbG8=")).isTrue();
        assertThat(Formats.accepts("byte", "")).isTrue();
        assertThat(Formats.accepts("byte", "aGVsbG8")).isFalse();
        assertThat(Formats.accepts("byte", "not base64!")).isFalse();
    }

    @Test
    void networkAddresses() {
        assertThat(Formats.accepts("ipv4", "10.0.0.255")).isTrue();
        assertThat(Formats.accepts("ipv4", "10.0.0.256")).isFalse();
        assertThat(Formats.accepts("ipv4", "010.0.0.1")).isFalse();
        assertThat(Formats.accepts("ipv6", "::1")).isTrue();
        assertThat(Formats.accepts("ipv6", "2001:db8::8a2e:370:7334")).isTrue();
        assertThat(Formats.accepts("ipv6", "::ffff:192.0.2.1")).isTrue();
        assertThat(Formats.accepts("ipv6", "1::2::3")).isFalse();
        assertThat(Formats.accepts("ipv6", "zz::1")).isFalse();
        assertThat(Formats.accepts("cidr", "10.0.0.0/8")).isTrue();
        assertThat(Formats.accepts("cidr", "fd00::/129")).isFalse();
        assertThat(Formats.accepts("mac", "00:1a:2b:3c:4d:5e")).isTrue();
        assertThat(Formats.accepts("mac", "00:1a:2b:3c:4d")).isFalse();
        assertThat(Formats.accepts("hostname", "node-1.example.com")).isTrue();
        assertThat(Formats.accepts("hostname", "-bad.example.com")).isFalse();
    }

    @Test
    void identifiersAndAddresses() {
        assertThat(Formats.accepts("uuid", "123e4567-e89b-12d3-a456-426614174000")).isTrue();
        assertThat(Formats.accepts("uuid4", "123e4567-e89b-12d3-a456-426614174000")).isFalse();
        assertThat(Formats.accepts("uri", "https://example.com/a?b=c")).isTrue();
        assertThat(Formats.accepts("uri", "/just/a/path")).isTrue();
        assertThat(Formats.accepts("uri", "relative/path")).isFalse();
        assertThat(Formats.accepts("email", "Ann <ann@example.com>")).isTrue();
        assertThat(Formats.accepts("email", "not-an-email")).isFalse();
    }

    @Test
    void unknownFormatsAreAccepted() {
        assertThat(Formats.accepts("int-or-string", "anything")).isTrue();
        assertThat(Formats.accepts("quantity", "1Gi")).isTrue();
    }
}
