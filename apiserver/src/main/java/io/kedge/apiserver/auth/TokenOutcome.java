package io.kedge.apiserver.auth;

import java.util.List;

/**
 * What a {@link TokenAuthenticator} made of a token: a user and the audiences the token is good
 * for, or a rejection with a reason for the log (never for the client), or neither.
 */
public record TokenOutcome(UserInfo user, List<String> audiences, String failure) {
    private static final TokenOutcome NOT_MINE = new TokenOutcome(null, List.of(), null);

    public TokenOutcome {
        audiences = List.copyOf(audiences);
    }

    public static TokenOutcome user(UserInfo user, List<String> audiences) {
        return new TokenOutcome(user, audiences, null);
    }

    public static TokenOutcome rejected(String reason) {
        return new TokenOutcome(null, List.of(), reason);
    }

    public static TokenOutcome notMine() {
        return NOT_MINE;
    }

    public boolean authenticated() {
        return user != null;
    }

    public boolean recognised() {
        return user != null || failure != null;
    }
}
