package io.kedge.api.selector;

import io.kedge.api.ApiException;

/** A label or field selector that cannot be parsed or is not allowed; the API server answers 400 BadRequest. */
public final class SelectorException extends RuntimeException {

    public SelectorException(String message) {
        super(message);
    }

    public int code() {
        return 400;
    }

    public String reason() {
        return "BadRequest";
    }

    public ApiException toApiException() {
        return ApiException.badRequest(getMessage());
    }
}
