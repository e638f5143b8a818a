package io.kedge.apiserver.handlers;

import io.kedge.apiserver.auth.TokenRequests;
import io.kedge.apiserver.auth.TokenReviews;
import io.kedge.apiserver.http.HttpExchange;
import io.kedge.apiserver.http.RequestInfo;

/** The HTTP side of serviceaccounts/token and TokenReview; the auth package decides. */
final class TokenHandler {
    private final TokenRequests requests;
    private final TokenReviews reviews;

    TokenHandler(TokenRequests requests, TokenReviews reviews) {
        this.requests = requests;
        this.reviews = reviews;
    }

    void request(HttpExchange ex, RequestInfo info) {
        ex.respondJson(201, requests.create(info.namespace(), info.name(), Bodies.object(ex, WriteHandler.options(ex).strict())));
    }

    void review(HttpExchange ex) {
        ex.respondJson(201, reviews.review(Bodies.object(ex, WriteHandler.options(ex).strict())));
    }
}
