package io.kedge.kubelet.cri;

import io.grpc.Status;

/** A CRI call that the container runtime answered with an error. */
public class CriException extends RuntimeException {
    private final Status.Code code;

    public CriException(String message, Status.Code code, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    /** The gRPC status code the runtime answered with. */
    public Status.Code code() {
        return code;
    }

    public boolean isNotFound() {
        return code == Status.Code.NOT_FOUND;
    }
}
