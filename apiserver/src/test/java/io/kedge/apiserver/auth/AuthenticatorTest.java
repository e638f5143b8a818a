package io.kedge.apiserver.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AuthenticatorTest {
    private static final List<String> API = List.of(ServiceAccountTokenIssuer.ISSUER);
    private final TokenAuthenticator rejectsAll = (token, audiences) -> TokenOutcome.rejected("no such token");
    private final TokenAuthenticator knowsBob = (token, audiences) -> token.equals("bob-token")
            ? TokenOutcome.user(new UserInfo("bob", "", List.of("builders")), audiences) : TokenOutcome.notMine();

    @Test
    void aBearerTokenIsTriedByEveryAuthenticatorUntilOneAcceptsIt() {
        Authenticator a = new Authenticator(Map.of(), List.of(rejectsAll, knowsBob), API);

        Authenticator.Result r = a.authenticate(null, "Bearer bob-token");

        assertThat(r.user().name()).isEqualTo("bob");
        assertThat(r.user().groups()).containsExactly("builders", "system:authenticated");
    }

    @Test
    void aRejectedTokenCarriesTheReasonsForTheLog() {
        Authenticator a = new Authenticator(Map.of(), List.of(rejectsAll, knowsBob), API);

        assertThat(a.authenticate(null, "Bearer other").failure()).isEqualTo("no such token");
        assertThat(new Authenticator(Map.of(), List.of(knowsBob), API).authenticate(null, "Bearer other").failure())
                .isEqualTo("invalid bearer token");
        assertThat(a.authenticate(null, "Basic abc").failure()).isEqualTo("unsupported Authorization scheme");
    }

    @Test
    void theTokenFileComesFirst() {
        Authenticator a = new Authenticator(Map.of("bob-token", new UserInfo("file-bob", "7", List.of())), List.of(knowsBob), API);

        assertThat(a.authenticate(null, "Bearer bob-token").user().name()).isEqualTo("file-bob");
    }

    @Test
    void noCredentialsIsAnonymousNotAFailure() {
        Authenticator.Result r = new Authenticator(Map.of()).authenticate(null, null);

        assertThat(r.user()).isNull();
        assertThat(r.failure()).isNull();
    }
}
