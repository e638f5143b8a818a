package io.kedge.kubelet.cri;

import io.grpc.Status;

/**
 * The container runtime cannot be reached on its socket (not started, restarting, or the socket
 * path is wrong), or did not answer within the call's deadline. Callers retry later.
 */
public class CriUnavailableException extends CriException {
    public CriUnavailableException(String message, Status.Code code, Throwable cause) {
        super(message, code, cause);
    }
}
