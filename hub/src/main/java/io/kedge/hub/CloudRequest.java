package io.kedge.hub;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One request on its way to the cloud.
 *
 * @param pathAndQuery the raw path with its query, as the local client sent it
 * @param headers      the client's headers worth forwarding (the hub adds its own credentials)
 * @param timeout      how long the answer may take; null for a stream that lasts as long as it lasts
 */
record CloudRequest(String method, String pathAndQuery, Map<String, List<String>> headers, byte[] body, Duration timeout) {
    CloudRequest {
        headers = headers == null ? Map.of() : headers;
        body = body == null ? new byte[0] : body;
    }

    static CloudRequest get(String pathAndQuery, Duration timeout) {
        return new CloudRequest("GET", pathAndQuery, Map.of(), null, timeout);
    }

    static CloudRequest json(String method, String pathAndQuery, String contentType, byte[] body, Duration timeout) {
        return new CloudRequest(method, pathAndQuery, Map.of("Content-Type", List.of(contentType)), body, timeout);
    }
}
