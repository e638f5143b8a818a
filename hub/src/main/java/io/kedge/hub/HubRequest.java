package io.kedge.hub;

import java.util.List;
import java.util.Map;

/** A request from a local client, read whole (API requests are small; answers may stream). */
record HubRequest(String method, String uri, Map<String, List<String>> headers, byte[] body) {
    /** The client, as the cache keys it: its User-Agent. */
    String client() {
        String ua = header("User-Agent");
        return ua == null || ua.isBlank() ? "unknown" : ua;
    }

    String header(String name) {
        for (Map.Entry<String, List<String>> h : headers.entrySet()) {
            if (h.getKey().equalsIgnoreCase(name) && !h.getValue().isEmpty()) {
                return h.getValue().get(0);
            }
        }
        return null;
    }

    String contentType() {
        String type = header("Content-Type");
        return type == null ? "application/json" : type;
    }

    ApiPath path() {
        return ApiPath.parse(uri);
    }
}
