package io.kedge.apiserver.auth;

import java.util.List;

/** One kind of bearer token: the static file, bootstrap tokens, service-account JWTs. */
public interface TokenAuthenticator {
    /**
     * Decides on {@code token} for a server that accepts {@code audiences}: a user, a rejection
     * with its reason, or {@link TokenOutcome#notMine()} when this kind of token is not recognised.
     */
    TokenOutcome authenticate(String token, List<String> audiences);
}
