package io.kedge.kubelet.cri;

import io.grpc.ConnectivityState;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelRegistry;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.AbstractStub;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * One gRPC channel to a CRI runtime's unix socket. A {@code unix://} target makes grpc-netty use its
 * unix-socket transport: a netty epoll domain-socket channel on a shared epoll event loop. The channel reconnects by itself; after a
 * failed call its connect back-off is reset, so that the next call after a runtime restart
 * reaches the new process at once instead of waiting out gRPC's back-off of up to two minutes.
 */
final class CriChannel implements AutoCloseable {
    /** The runtime lists every container of the node in one message; the default 4 MiB is too small for that. */
    private static final int MAX_MESSAGE_BYTES = 16 << 20;
    /** How long a call waits for a fresh connection attempt when the last one failed. */
    private static final long RECONNECT_WAIT_MILLIS = 1000;

    private final Path socket;
    private final ManagedChannel channel;

    private CriChannel(Path socket, ManagedChannel channel) {
        this.socket = socket;
        this.channel = channel;
    }

    static CriChannel open(Path socket) {
        ManagedChannel channel;
        try {
            channel = Grpc.newChannelBuilder("unix://" + socket, InsecureChannelCredentials.create())
                    // the authority of a unix socket is not a host name; the runtime ignores it
                    .overrideAuthority("localhost")
                    .maxInboundMessageSize(MAX_MESSAGE_BYTES)
                    .build();
        } catch (ManagedChannelRegistry.ProviderNotFoundException e) {
            throw new IllegalStateException("CRI socket " + socket + " needs grpc-netty's unix-socket transport (netty's "
                    + "native epoll), which is unavailable on this machine: " + e.getMessage(), e);
        }
        return new CriChannel(socket, channel);
    }

    ManagedChannel channel() {
        return channel;
    }

    Path socket() {
        return socket;
    }

    <S extends AbstractStub<S>, T> T call(String method, S stub, Duration deadline, Function<S, T> call) {
        if (channel.getState(false) == ConnectivityState.TRANSIENT_FAILURE) {
            reconnectNow();
        }
        try {
            return call.apply(stub.withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS));
        } catch (StatusRuntimeException e) {
            throw translate(method, deadline, e);
        }
    }

    /**
     * A channel in TRANSIENT_FAILURE fails calls at once until its back-off expires, even when the
     * runtime is back. Resetting the back-off starts a connection attempt; waiting for its outcome
     * lets the first call after a runtime restart succeed, at the cost of a short wait while the
     * runtime is still down.
     */
    private void reconnectNow() {
        channel.resetConnectBackoff();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(RECONNECT_WAIT_MILLIS);
        boolean attempted = false;
        ConnectivityState state = channel.getState(true);
        while (state != ConnectivityState.READY && !(attempted && state == ConnectivityState.TRANSIENT_FAILURE)) {
            attempted |= state == ConnectivityState.CONNECTING;
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return;
            }
            CountDownLatch changed = new CountDownLatch(1);
            channel.notifyWhenStateChanged(state, changed::countDown);
            try {
                if (!changed.await(left, TimeUnit.NANOSECONDS)) {
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            state = channel.getState(false);
        }
    }

    private CriException translate(String method, Duration deadline, StatusRuntimeException e) {
        Status status = e.getStatus();
        String detail = status.getDescription() != null ? status.getDescription() : status.getCode().name();
        switch (status.getCode()) {
            case UNAVAILABLE -> {
                channel.resetConnectBackoff();
                return new CriUnavailableException("container runtime socket " + socket + " is unreachable (" + method + "): "
                        + detail, status.getCode(), e);
            }
            case DEADLINE_EXCEEDED -> {
                channel.resetConnectBackoff();
                return new CriUnavailableException("container runtime on " + socket + " did not answer " + method + " within "
                        + deadline.toSeconds() + "s", status.getCode(), e);
            }
            default -> {
                return new CriException(method + " on " + socket + " failed: " + status.getCode() + ": " + detail,
                        status.getCode(), e);
            }
        }
    }

    @Override
    public void close() {
        channel.shutdownNow();
        try {
            channel.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
