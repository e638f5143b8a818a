package io.kedge.kubelet.server;

/** A kubelet API request that cannot be served, with the HTTP status the caller gets. */
public class KubeletApiException extends Exception {
    private final int status;

    public KubeletApiException(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }

    public static KubeletApiException notFound(String message) {
        return new KubeletApiException(404, message);
    }

    public static KubeletApiException badRequest(String message) {
        return new KubeletApiException(400, message);
    }

    public static KubeletApiException unavailable(String message) {
        return new KubeletApiException(503, message);
    }
}
