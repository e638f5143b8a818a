package io.kedge.apiserver.authz;

/** An authorizer's answer: allow, deny, or no opinion (the next authorizer decides), with why. */
public record Decision(Kind kind, String reason) {
    public enum Kind { ALLOW, DENY, NO_OPINION }

    public static Decision allow(String reason) {
        return new Decision(Kind.ALLOW, reason);
    }

    public static Decision deny(String reason) {
        return new Decision(Kind.DENY, reason);
    }

    public static Decision noOpinion(String reason) {
        return new Decision(Kind.NO_OPINION, reason);
    }

    public static Decision noOpinion() {
        return new Decision(Kind.NO_OPINION, "");
    }

    public boolean allowed() {
        return kind == Kind.ALLOW;
    }
}
