package io.kedge.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class ControllerOptionsTest {
    @Test
    void aSigningDurationOfThreeMinutesIsAcceptedForShortLivedTestClusters() {
        assertThat(ControllerOptions.signingDuration("3m")).isEqualTo(Duration.ofMinutes(3));
        assertThat(ControllerOptions.signingDuration("8760h")).isEqualTo(Duration.ofDays(365));
    }

    @Test
    void aSigningDurationShorterThanTheRenewalPointAllowsIsRefusedWithTheReason() {
        assertThatThrownBy(() -> ControllerOptions.signingDuration("2m59s"))
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("--cluster-signing-duration must be at least 3m, got \"2m59s\"")
                .hasMessageContaining("backdated 5 minutes");
    }
}
