package io.kedge.api.patch;

import io.kedge.api.ApiException;

/**
 * A patch that cannot be applied. {@link #kind()} tells whether the patch document itself is malformed
 * (400 BadRequest) or well formed but not applicable to this object (422 Invalid), matching how the
 * Kubernetes API server reports patch failures.
 */
public final class PatchException extends RuntimeException {

    public enum Kind {
        /** The patch document is malformed: wrong shape, missing members, unknown operations or directives. */
        BAD_REQUEST(400, "BadRequest"),
        /** The patch is well formed but cannot be applied: a failed {@code test}, a path that does not exist. */
        INVALID(422, "Invalid");

        private final int code;
        private final String reason;

        Kind(int code, String reason) {
            this.code = code;
            this.reason = reason;
        }

        public int code() { return code; }

        public String reason() { return reason; }
    }

    private final Kind kind;

    private PatchException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public static PatchException badRequest(String message) {
        return new PatchException(Kind.BAD_REQUEST, message);
    }

    public static PatchException invalid(String message) {
        return new PatchException(Kind.INVALID, message);
    }

    /** The same failure with {@code context} (which operation, which field) in front of its message. */
    PatchException withContext(String context) {
        return new PatchException(kind, context + ": " + getMessage());
    }

    public Kind kind() { return kind; }

    public int code() { return kind.code(); }

    public String reason() { return kind.reason(); }

    public boolean isInvalid() { return kind == Kind.INVALID; }

    /** The Status error the API server sends for this failure. */
    public ApiException toApiException() {
        return ApiException.of(kind.code(), kind.reason(), getMessage());
    }
}
