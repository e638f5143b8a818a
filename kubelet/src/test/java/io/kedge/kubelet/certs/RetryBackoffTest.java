package io.kedge.kubelet.certs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryBackoffTest {
    private final RetryBackoff backoff = new RetryBackoff(Duration.ofSeconds(5), Duration.ofMinutes(2));

    @Test
    void aCloudThatAnsweredWithAnErrorIsGivenABackOffThatDoublesUpToTheLimit() {
        IOException answered = new IOException("cloud server https://10.0.0.1:6443 answered HTTP 500");

        assertThat(java.util.stream.IntStream.range(0, 7).mapToObj(i -> backoff.after(answered).toSeconds()))
                .containsExactly(5L, 10L, 20L, 40L, 80L, 120L, 120L);
        backoff.reset();
        assertThat(backoff.after(answered)).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void aCloudThatCannotBeConnectedToIsTriedAgainSoonEveryTimeSoARestoredLinkIsNoticedAtOnce() {
        IOException refused = new IOException("joining again failed", new ConnectException("Connection refused"));
        IOException dropped = new IOException("wrapped", new SocketTimeoutException("Connect timed out"));

        for (int i = 0; i < 10; i++) {
            assertThat(backoff.after(i % 2 == 0 ? refused : dropped)).isEqualTo(Duration.ofSeconds(5));
        }
        assertThat(backoff.after(new IOException("answered HTTP 403"))).as("unreachable tries do not grow the back-off")
                .isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void onlyAFailureToConnectCountsAsUnreachable() {
        assertThat(RetryBackoff.unreachable(new java.net.NoRouteToHostException("No route to host"))).isTrue();
        assertThat(RetryBackoff.unreachable(new RuntimeException(new java.net.http.HttpConnectTimeoutException("timed out"))))
                .isTrue();
        assertThat(RetryBackoff.unreachable(new SocketTimeoutException("Read timed out"))).isFalse();
        assertThat(RetryBackoff.unreachable(new IOException("the server refused the bootstrap token (401)"))).isFalse();
    }
}
